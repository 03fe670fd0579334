// Keeps the teacher's pass page (and its QR codes) on the phone for a hall without signal: registers
// the offline service worker (offline-sw.js) for this page's address only. Where the browser has no
// service workers (or the site is not served over https), the page works as before, online only.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register(me.getAttribute('data-sw-url'), { scope: me.getAttribute('data-sw-scope') })
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function () {
      document.documentElement.setAttribute('data-offline', 'ready');
    })
    .catch(function () {});
})();
