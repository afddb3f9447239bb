// Small enhancements only: every page works without this file.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target.closest('[data-print]') : null;
    if (target) window.print();
  });

  // After a form redirects back with a refusal, take the keyboard to the message, except on pages
  // that keep it in one field (the desk's scan field): the alert is announced there all the same.
  var alert = document.querySelector('main [role="alert"]');
  if (alert && !document.querySelector('[autofocus]')) {
    alert.setAttribute('tabindex', '-1');
    alert.focus();
  }

  // Live preview in the manual editor: the server renders and sanitises, exactly as patrons see it.
  var token = document.querySelector('meta[name="csrf-token"]');
  document.querySelectorAll('textarea[data-preview]').forEach(function (area) {
    var target = document.getElementById(area.getAttribute('data-preview'));
    if (!target || !token) return;
    var timer = null;
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch('/admin/manuals/preview', {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            'X-CSRF-Token': token.getAttribute('content'),
          },
          body: 'markdown=' + encodeURIComponent(area.value),
        })
          .then(function (response) {
            return response.ok ? response.text() : null;
          })
          .then(function (html) {
            if (html !== null) target.innerHTML = html;
          })
          .catch(function () {});
      }, 300);
    });
  });
})();
