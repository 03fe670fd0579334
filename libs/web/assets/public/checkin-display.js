// The trainer's check-in display: a new QR code at every 30-second step, the live count and the
// latest names every few seconds. Works without it too (the page shows the code it was served with).
(function () {
  'use strict';
  var root = document.getElementById('display');
  if (!root || !window.fetch) return;
  var img = document.getElementById('qr');
  var note = document.getElementById('qr-note');
  var count = document.getElementById('count');
  var list = document.getElementById('latest');
  var conn = document.getElementById('conn');
  var codeTimer = 0;

  function get(url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } }).then(
      function (r) {
        if (r.redirected && /\/login(\?|$)/.test(r.url)) throw { login: true };
        if (!r.ok || (r.headers.get('content-type') || '').indexOf('application/json') !== 0)
          throw { status: r.status };
        return r.json();
      },
    );
  }
  function problem(e) {
    conn.textContent = e && e.login ? '登录已失效，请刷新页面并重新登录。' : '网络连接中断，正在重试…';
  }
  function ok() {
    if (conn.textContent) conn.textContent = '';
  }

  function scheduleCode(ms) {
    clearTimeout(codeTimer);
    codeTimer = setTimeout(refreshCode, Math.max(1000, Math.min(Number(ms) || 30000, 30000)));
  }
  function refreshCode() {
    get(root.getAttribute('data-code-url'))
      .then(function (d) {
        // No code outside the window: hide the image, the state shows large instead.
        if (!d.qr) img.hidden = true;
        else {
          if (img.getAttribute('src') !== d.qr) img.setAttribute('src', d.qr);
          img.hidden = false;
        }
        note.textContent = d.note;
        note.setAttribute('data-state', d.state);
        ok();
        // A little after the step boundary, so the server already issues the next code.
        scheduleCode(d.refreshInMs + 300);
      })
      .catch(function (e) {
        problem(e);
        scheduleCode(5000);
      });
  }

  function item(p) {
    var li = document.createElement('li');
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = p.name;
    var at = document.createElement('span');
    at.className = 'at';
    at.textContent = p.time;
    li.appendChild(who);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(at);
    if (p.late) {
      var late = document.createElement('span');
      late.className = 'late';
      late.textContent = '迟到';
      li.appendChild(document.createTextNode(' '));
      li.appendChild(late);
    }
    return li;
  }
  function refreshStatus() {
    get(root.getAttribute('data-status-url'))
      .then(function (d) {
        if (count.textContent !== d.display) count.textContent = d.display;
        while (list.firstChild) list.removeChild(list.firstChild);
        if (!d.latest.length) {
          var none = document.createElement('li');
          none.className = 'none';
          none.textContent = '暂无';
          list.appendChild(none);
        }
        d.latest.forEach(function (p) {
          list.appendChild(item(p));
        });
        ok();
      })
      .catch(problem)
      .then(function () {
        setTimeout(refreshStatus, 3000);
      });
  }

  // 全屏显示 where the browser can (F11 works everywhere).
  var fs = document.getElementById('fullscreen');
  if (fs && document.documentElement.requestFullscreen) {
    fs.hidden = false;
    fs.addEventListener('click', function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
    });
    document.addEventListener('fullscreenchange', function () {
      fs.textContent = document.fullscreenElement ? '退出全屏' : '全屏显示';
    });
  }
  // Keep a laptop driving the projector awake while the display is open.
  if (navigator.wakeLock) navigator.wakeLock.request('screen').catch(function () {});

  scheduleCode(Number(root.getAttribute('data-refresh-in')) + 300);
  setTimeout(refreshStatus, 3000);
})();
