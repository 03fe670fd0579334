// The trainer's pass scanner (spec §14): the phone's camera reads personal passes (jsQR), each pass
// is verified here with the server's Ed25519 public key and judged against the session's roster,
// every scan is kept in IndexedDB with its time, and the scans go to POST /api/v1/sessions/:id/scans
// whenever there is a network (the server checks them all again and counts each at its time).
// The page, this script, jsQR, the roster and the key are kept by the service worker
// (offline-sw.js), so the page opens and scans with the network off once it was opened online.
// The pass layout is the server's (libs/attendance/src/passes/pass-token.ts):
// "P1." + base64url(1 ‖ enrolment u32be ‖ cohort u32be ‖ expiry unix-seconds u32be ‖ signature 64 bytes).
(function () {
  'use strict';
  var root = document.getElementById('scanner');
  if (!root) return;
  var sessionId = Number(root.getAttribute('data-session-id'));
  var $ = function (id) {
    return document.getElementById(id);
  };
  var video = $('scan-video');
  var canvas = $('scan-canvas');
  var toggle = $('scan-toggle');
  var conn = $('scan-conn');
  var resultBox = $('scan-result');
  var unsyncedEl = $('scan-unsynced');
  var syncNote = $('scan-sync-note');
  var logEl = $('scan-log');

  var PASS = /^P1\.[A-Za-z0-9_-]{103}$/;
  var WORDS = { PRESENT: '已签到', LATE: '迟到', OTHER: '不在本班', INVALID: '无效', WINDOW: '不在签到时段' };
  var SERVER_WORDS = { PRESENT: '出勤', LATE: '迟到', ALREADY: '已有记录', REJECTED: '未计入' };
  /** Verdicts after which the same pass is not stored again (a scan outside the window may be repeated later). */
  var FINAL = { PRESENT: 1, LATE: 1, OTHER: 1, INVALID: 1 };

  var roster = null; // { session, trainees, publicKey, fetchedAt }
  var trainees = {}; // enrolment id → { name, school }
  var verify = null; // (signature, body) → Promise<boolean>
  var scans = []; // this session's scans on this device, oldest first
  var db = null;

  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }
  function clock(d) {
    d = new Date(d);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  function fromBase64url(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // ——— IndexedDB: one store of scans, indexed by session ———

  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () {
        resolve(r.result);
      };
      r.onerror = function () {
        reject(r.error);
      };
    });
  }
  function openDb() {
    var r = indexedDB.open('shipei-scanner', 1);
    r.onupgradeneeded = function () {
      var store = r.result.createObjectStore('scans', { keyPath: 'id', autoIncrement: true });
      store.createIndex('session', 'sessionId');
    };
    return request(r);
  }
  function store(mode) {
    return db.transaction('scans', mode).objectStore('scans');
  }
  function saveScan(s) {
    return request(store('readwrite').put(s)).then(function (id) {
      s.id = id;
      return s;
    });
  }
  function loadScans() {
    return request(store('readonly').index('session').getAll(sessionId)).then(function (rows) {
      scans = rows.sort(function (a, b) {
        return a.id - b.id;
      });
    });
  }

  // ——— the roster and the key ———

  function verifierFor(jwk) {
    var subtle = window.crypto && window.crypto.subtle;
    var webCrypto = subtle
      ? subtle
          .importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify'])
          .then(function (key) {
            root.setAttribute('data-verifier', 'webcrypto');
            return function (signature, body) {
              return subtle.verify({ name: 'Ed25519' }, key, signature, body);
            };
          })
      : Promise.reject(new Error('no WebCrypto'));
    // Browsers without Ed25519 in WebCrypto: @noble/ed25519, served by this site and kept offline too.
    return webCrypto.catch(function () {
      return import(root.getAttribute('data-ed25519-url')).then(function (ed) {
        var key = fromBase64url(jwk.x);
        root.setAttribute('data-verifier', 'noble');
        return function (signature, body) {
          return ed.verifyAsync(signature, body, key).catch(function () {
            return false;
          });
        };
      });
    });
  }

  function loadRoster() {
    // The service worker answers from its copy when the network is off.
    return fetch(root.getAttribute('data-roster-url'), {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    }).then(function (r) {
      if (r.redirected && /\/login(\?|$)/.test(r.url)) throw { login: true };
      if (!r.ok || (r.headers.get('content-type') || '').indexOf('application/json') !== 0) throw { status: r.status };
      return r.json();
    });
  }
  function useRoster(data) {
    roster = data;
    trainees = {};
    data.trainees.forEach(function (t) {
      trainees[t.enrolmentId] = t;
    });
    return verifierFor(data.publicKey).then(function (v) {
      verify = v;
    });
  }

  // ——— judging a pass on the device ———

  function judge(token, at) {
    if (!PASS.test(token)) return Promise.resolve({ verdict: 'INVALID', reason: '不是本平台的签到凭证', keep: false });
    var raw = fromBase64url(token.slice(3));
    if (raw.length !== 77 || raw[0] !== 1)
      return Promise.resolve({ verdict: 'INVALID', reason: '不是本平台的签到凭证', keep: false });
    var body = raw.slice(0, 13);
    return verify(raw.slice(13), body).then(function (ok) {
      if (!ok) return { verdict: 'INVALID', reason: '凭证签名无效', keep: true };
      var view = new DataView(body.buffer);
      var enrolmentId = view.getUint32(1);
      var cohortId = view.getUint32(5);
      var expires = view.getUint32(9) * 1000;
      var s = roster.session;
      var who = trainees[enrolmentId];
      var base = { enrolmentId: enrolmentId, name: who ? who.name : '', keep: true };
      var with_ = function (verdict, reason) {
        base.verdict = verdict;
        base.reason = reason;
        return base;
      };
      if (cohortId !== s.cohortId) return with_('OTHER', '此凭证属于其他班级');
      if (!who) return with_('OTHER', '本班名单中没有此学员（名单取于 ' + clock(roster.fetchedAt) + '）');
      var t = at.getTime();
      if (t >= expires) return with_('INVALID', '凭证已过期');
      if (t < Date.parse(s.opensAt)) return with_('WINDOW', '签到尚未开始（' + clock(s.opensAt) + ' 开放）');
      if (t >= Date.parse(s.closesAt)) return with_('WINDOW', '签到已结束（' + clock(s.closesAt) + ' 截止）');
      var late = t > Date.parse(s.startsAt) + s.lateGraceMinutes * 60000;
      return with_(late ? 'LATE' : 'PRESENT', null);
    });
  }

  function show(verdict, name, detail) {
    resultBox.setAttribute('data-verdict', verdict);
    $('scan-name').textContent = name || '—';
    $('scan-verdict').textContent = WORDS[verdict];
    $('scan-detail').textContent = detail || '';
  }

  var last = { token: '', at: 0 };
  var judging = false;
  function onCode(token) {
    var now = new Date();
    // The camera sees the same code in many frames: one reading per pass every few seconds.
    if (judging || (token === last.token && now.getTime() - last.at < 4000)) return;
    last = { token: token, at: now.getTime() };
    judging = true;
    judge(token, now)
      .then(function (j) {
        var before = null;
        for (var i = scans.length - 1; i >= 0; i--)
          if (scans[i].token === token && FINAL[scans[i].verdict]) {
            before = scans[i];
            break;
          }
        if (before) {
          show(before.verdict, before.name, '重复扫码，首次扫码 ' + clock(before.scannedAt));
          return;
        }
        show(j.verdict, j.name, (j.reason ? j.reason + ' · ' : '') + clock(now));
        if (navigator.vibrate) navigator.vibrate(j.verdict === 'PRESENT' || j.verdict === 'LATE' ? 80 : [60, 60, 60]);
        if (!j.keep) return;
        var scan = {
          sessionId: sessionId,
          token: token,
          scannedAt: now.toISOString(),
          enrolmentId: j.enrolmentId || null,
          name: j.name || '',
          verdict: j.verdict,
          reason: j.reason || null,
          synced: false,
        };
        return saveScan(scan).then(function () {
          scans.push(scan);
          render();
          sync();
        });
      })
      .catch(function (e) {
        syncNote.textContent = '扫码记录保存失败：' + (e && e.message ? e.message : e);
      })
      .then(function () {
        judging = false;
      });
  }

  // ——— the camera ———

  var stream = null;
  var timer = 0;
  function frame() {
    timer = 0;
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      var scale = Math.min(1, 640 / video.videoWidth);
      var w = Math.round(video.videoWidth * scale);
      var h = Math.round(video.videoHeight * scale);
      canvas.width = w;
      canvas.height = h;
      var ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, w, h);
      var found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
      if (found && found.data) onCode(found.data);
    }
    timer = setTimeout(frame, 120);
  }
  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show('INVALID', '', '此浏览器不能使用摄像头（须通过 https 访问）');
      return;
    }
    toggle.disabled = true;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play();
      })
      .then(function () {
        toggle.textContent = '停止扫码';
        root.setAttribute('data-camera', 'on');
        frame();
      })
      .catch(function () {
        stop();
        $('scan-detail').textContent = '无法打开摄像头：请允许本网站使用摄像头';
      })
      .then(function () {
        toggle.disabled = false;
      });
  }
  function stop() {
    if (stream)
      stream.getTracks().forEach(function (t) {
        t.stop();
      });
    stream = null;
    clearTimeout(timer);
    video.srcObject = null;
    toggle.textContent = '开始扫码';
    root.setAttribute('data-camera', 'off');
  }
  toggle.addEventListener('click', function () {
    if (stream) stop();
    else start();
  });

  // ——— what the device holds ———

  function render() {
    var pending = scans.filter(function (s) {
      return !s.synced;
    }).length;
    unsyncedEl.textContent = '未上传 ' + pending + ' 条';
    unsyncedEl.setAttribute('data-count', String(pending));
    while (logEl.firstChild) logEl.removeChild(logEl.firstChild);
    if (!scans.length) {
      var none = document.createElement('li');
      none.className = 'none';
      none.textContent = '暂无';
      logEl.appendChild(none);
    }
    scans
      .slice()
      .reverse()
      .slice(0, 100)
      .forEach(function (s) {
        var li = document.createElement('li');
        li.setAttribute('data-verdict', s.verdict);
        li.setAttribute('data-synced', s.synced ? s.serverStatus || '' : 'no');
        var part = function (cls, text) {
          var span = document.createElement('span');
          span.className = cls;
          span.textContent = text;
          li.appendChild(span);
          li.appendChild(document.createTextNode(' '));
        };
        part('who', s.name || '—');
        part('verdict', WORDS[s.verdict]);
        part('at', clock(s.scannedAt));
        part(
          'sync',
          s.synced
            ? '已上传：' + SERVER_WORDS[s.serverStatus] + (s.serverReason ? '（' + s.serverReason + '）' : '')
            : '待上传',
        );
        logEl.appendChild(li);
      });
  }

  // ——— sending the scans ———

  var syncing = false;
  function sync() {
    var batch = scans
      .filter(function (s) {
        return !s.synced;
      })
      .slice(0, 500);
    if (syncing || !batch.length) return Promise.resolve();
    syncing = true;
    return fetch(root.getAttribute('data-sync-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        scans: batch.map(function (s) {
          return { token: s.token, scannedAt: s.scannedAt };
        }),
      }),
    })
      .then(function (r) {
        return r.json().then(
          function (body) {
            if (r.status === 401) throw { login: true };
            if (!r.ok) throw { status: r.status, message: body && body.message };
            return body;
          },
          function () {
            throw { status: r.status };
          },
        );
      })
      .then(function (body) {
        var at = new Date().toISOString();
        body.results.forEach(function (res) {
          var s = batch[res.index];
          s.synced = true;
          s.serverStatus = res.status;
          s.serverReason = res.reason;
          s.syncedAt = at;
        });
        return Promise.all(batch.map(saveScan)).then(function () {
          syncNote.textContent = '已上传 ' + batch.length + ' 条（' + clock(at) + '）';
          syncing = false;
          render();
          return sync();
        });
      })
      .catch(function (e) {
        syncing = false;
        syncNote.textContent =
          e && e.login
            ? '登录已失效：请重新登录后上传（扫码记录仍保存在本机）'
            : e && e.status
              ? '上传未成功：' + (e.message || '服务器错误 ' + e.status) + '，稍后重试'
              : '当前无网络：扫码记录保存在本机，联网后自动上传';
      });
  }
  $('scan-sync').addEventListener('click', function () {
    sync();
  });
  window.addEventListener('online', function () {
    conn.textContent = online();
    sync();
  });
  window.addEventListener('offline', function () {
    conn.textContent = online();
  });
  setInterval(function () {
    if (navigator.onLine) sync();
  }, 20000);

  function online() {
    var base = roster ? '本班 ' + roster.trainees.length + ' 人的名单已保存在本机' : '';
    return (navigator.onLine ? '在线' : '离线：扫码照常进行，联网后自动上传') + (base ? '；' + base : '');
  }

  // ——— start ———

  function offlineReady() {
    // Ready when the worker controls this page and holds the page and the roster.
    if (!('serviceWorker' in navigator) || !window.caches) return Promise.resolve(false);
    return navigator.serviceWorker.ready.then(function () {
      return Promise.all([caches.match(location.pathname), caches.match(root.getAttribute('data-roster-url'))]).then(
        function (hits) {
          return !!(hits[0] && hits[1]);
        },
      );
    });
  }
  if ('serviceWorker' in navigator)
    navigator.serviceWorker
      .register(root.getAttribute('data-sw-url'), { scope: root.getAttribute('data-sw-scope') })
      .catch(function () {});

  openDb()
    .then(function (d) {
      db = d;
      return loadScans();
    })
    .then(function () {
      render();
      return loadRoster();
    })
    .then(useRoster)
    .then(function () {
      conn.textContent = online();
      toggle.disabled = false;
      sync();
      return offlineReady();
    })
    .then(function (ready) {
      root.setAttribute('data-offline', ready ? 'ready' : 'no');
    })
    .catch(function (e) {
      conn.textContent =
        e && e.login
          ? '登录已失效，请重新登录。'
          : '无法取得本班名单：首次使用须联网打开本页一次' + (e && e.status ? '（' + e.status + '）' : '');
      if (db) render();
    });
})();
