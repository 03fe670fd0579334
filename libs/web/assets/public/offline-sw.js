// The offline service worker (spec §14), registered by two pages only, each with its own narrow
// scope: the trainer's pass scanner (/app/trainer/sessions/<id>/scan, by scanner.js) and the
// teacher's pass page (/app/me/attendance, by offline.js). Nothing else of the site is ever
// answered from it: other pages and every API call go to the network as if it did not exist.
//
// Those pages are personal and sent with `cache-control: no-store`, so no shared computer or proxy
// keeps them. This worker keeps a copy anyway, deliberately: the Cache API ignores HTTP caching
// headers, the copy lives only in the browser profile of the device that opened the page (the
// trainer's or the teacher's own phone), and it is what lets a pass show, and passes be scanned,
// in a hall without signal. The copy is replaced at every visit with a network, and dropped when
// the server refuses the page (403/404: no longer the trainer's cohort).
//
// Strategies: versioned static files (/assets/…?v=<hash>) from the cache first; the pages in scope
// (and the scanner's roster under it) from the network first, falling back to the copy when the
// network fails or is slower than a few seconds.
'use strict';

var VERSION = new URL(self.location.href).searchParams.get('v') || '0';
var ASSETS = 'shipei-offline-assets-' + VERSION;
var PAGES = 'shipei-offline-pages';
var SLOW_MS = 5000;
var STATIC_FILES = [
  'app.css',
  'app.js',
  'training.css',
  'favicon.svg',
  'offline.js',
  'scanner.js',
  'vendor/jsqr.js',
  'vendor/ed25519.js',
];

/** The scope's page, and for the scanner its roster (fetched by the page once it runs). */
function scopePages() {
  var scope = self.registration.scope;
  return /\/scan$/.test(scope) ? [scope, scope + '/roster'] : [scope];
}

self.addEventListener('install', function (event) {
  event.waitUntil(
    Promise.all([
      caches.open(ASSETS).then(function (c) {
        return c.addAll(
          STATIC_FILES.map(function (f) {
            return '/assets/' + f + '?v=' + VERSION;
          }),
        );
      }),
      // The pages with the login cookie of the visit that registered the worker; best effort (the
      // page stores its copy again at its next load).
      caches.open(PAGES).then(function (c) {
        return Promise.all(
          scopePages().map(function (url) {
            return fetch(url, { credentials: 'same-origin' })
              .then(function (res) {
                if (res.ok && !res.redirected) return c.put(url, res);
              })
              .catch(function () {});
          }),
        );
      }),
    ]).then(function () {
      return self.skipWaiting();
    }),
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (n) {
              return n.indexOf('shipei-offline-assets-') === 0 && n !== ASSETS;
            })
            .map(function (n) {
              return caches.delete(n);
            }),
        );
      })
      .then(function () {
        return self.clients.claim();
      }),
  );
});

function fromCacheFirst(request) {
  return caches.match(request).then(function (hit) {
    return (
      hit ||
      fetch(request).then(function (res) {
        if (res.ok) {
          var copy = res.clone();
          caches.open(ASSETS).then(function (c) {
            return c.put(request, copy);
          });
        }
        return res;
      })
    );
  });
}

function fromNetworkFirst(request) {
  var url = new URL(request.url);
  var key = url.origin + url.pathname;
  var cached = function () {
    return caches.open(PAGES).then(function (c) {
      return c.match(key);
    });
  };
  return new Promise(function (resolve, reject) {
    var settled = false;
    var answer = function (res) {
      if (!settled) {
        settled = true;
        resolve(res);
      }
    };
    var slow = setTimeout(function () {
      cached().then(function (hit) {
        if (hit) answer(hit);
      });
    }, SLOW_MS);
    fetch(request).then(
      function (res) {
        clearTimeout(slow);
        if (res.ok && !res.redirected && res.type === 'basic') {
          var copy = res.clone();
          caches.open(PAGES).then(function (c) {
            return c.put(key, copy);
          });
        } else if (res.status === 403 || res.status === 404)
          caches.open(PAGES).then(function (c) {
            return c.delete(key);
          });
        answer(res);
      },
      function (err) {
        clearTimeout(slow);
        cached().then(function (hit) {
          if (hit) answer(hit);
          else if (!settled) {
            settled = true;
            reject(err);
          }
        });
      },
    );
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/assets/') === 0 && url.search) {
    event.respondWith(fromCacheFirst(request));
    return;
  }
  var scope = new URL(self.registration.scope);
  if (url.pathname === scope.pathname || url.pathname.indexOf(scope.pathname + '/') === 0)
    event.respondWith(fromNetworkFirst(request));
});
