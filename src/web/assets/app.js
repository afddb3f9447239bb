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

  // The desk's agenda reloads itself, leaving the rest of the page (and the scan field, its focus
  // and what is typed in it) alone. It waits while someone works inside the agenda (focus in it,
  // a cancel question open), and says only that something changed, politely, when it did.
  var agenda = document.querySelector('[data-refresh-seconds]');
  var agendaBody = agenda && agenda.querySelector('[data-agenda-body]');
  var agendaNews = agenda && agenda.querySelector('[data-agenda-news]');
  if (agendaBody && window.fetch && window.DOMParser) {
    var busy = function () {
      return (
        agendaBody.contains(document.activeElement) || agendaBody.querySelector('details[open]')
      );
    };
    var bookingsIn = function (element) {
      return Array.prototype.map
        .call(element.querySelectorAll('h3, tr, .notice'), function (row) {
          return row.textContent;
        })
        .join('\n');
    };
    var seconds = Number(agenda.getAttribute('data-refresh-seconds')) || 30;
    setInterval(function () {
      if (document.hidden || busy()) return;
      fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null || busy()) return;
          var fresh = new DOMParser()
            .parseFromString(html, 'text/html')
            .querySelector('[data-agenda-body]');
          if (!fresh) return;
          var changed = bookingsIn(fresh) !== bookingsIn(agendaBody);
          agendaBody.innerHTML = fresh.innerHTML;
          var clock = fresh.querySelector('[data-agenda-clock]');
          if (changed && agendaNews)
            agendaNews.textContent = 'The agenda changed. ' + (clock ? clock.textContent : '');
        })
        .catch(function () {});
    }, seconds * 1000);
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
