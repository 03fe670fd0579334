// Shipei pages: the little JavaScript they need. Everything works without it; it only adds
// select-all checkboxes, confirmations before irreversible actions, and focus on form errors.
(function () {
  'use strict';
  function all(sel, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(sel));
  }

  // <input type="checkbox" data-select-all="name">: ticks every checkbox called `name` in its form.
  all('[data-select-all]').forEach(function (master) {
    var form = master.form || document;
    var boxes = function () {
      return all('input[type=checkbox][name="' + master.getAttribute('data-select-all') + '"]', form);
    };
    master.addEventListener('change', function () {
      boxes().forEach(function (b) {
        b.checked = master.checked;
      });
    });
    form.addEventListener('change', function (e) {
      if (e.target === master || e.target.name !== master.getAttribute('data-select-all')) return;
      var list = boxes();
      var on = list.filter(function (b) {
        return b.checked;
      }).length;
      master.checked = on > 0 && on === list.length;
      master.indeterminate = on > 0 && on < list.length;
    });
  });

  // data-confirm="确定要…吗？" on a form (on submit) or a link (on click).
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var submitter = e.submitter;
    var text = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (text && !window.confirm(text)) e.preventDefault();
  });
  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a[data-confirm]');
    if (link && !window.confirm(link.getAttribute('data-confirm'))) e.preventDefault();
  });

  // <button data-print>: prints the page (a one-time password page, handed to its owner).
  all('[data-print]').forEach(function (btn) {
    btn.addEventListener('click', function () {
      window.print();
    });
  });

  // 退出登录 first drops the offline copies of personal pages (the pass page, the scanner's roster:
  // offline-sw.js) from this browser, for a phone or computer someone else uses next. Scans not yet
  // sent stay in IndexedDB: they are sent when the trainer opens the scanner again.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (e.defaultPrevented || !window.caches || !/\/logout$/.test(form.getAttribute('action') || '')) return;
    e.preventDefault();
    var gone = false;
    var go = function () {
      if (!gone) form.submit();
      gone = true;
    };
    setTimeout(go, 1000);
    caches.delete('shipei-offline-pages').then(go, go);
  });

  // Batch buttons need at least one ticked row.
  all('[data-needs-selection]').forEach(function (btn) {
    var form = btn.form;
    var name = btn.getAttribute('data-needs-selection');
    var update = function () {
      btn.disabled = !all('input[type=checkbox][name="' + name + '"]:checked', form).length;
    };
    form.addEventListener('change', update);
    update();
  });

  // After a failed submit, move focus to the first field in error (or the message at the top).
  var firstBad = document.querySelector('[aria-invalid="true"]') || document.getElementById('form-error');
  if (firstBad) {
    if (!firstBad.hasAttribute('tabindex') && !/^(INPUT|SELECT|TEXTAREA)$/.test(firstBad.tagName))
      firstBad.setAttribute('tabindex', '-1');
    firstBad.focus();
  }
})();
