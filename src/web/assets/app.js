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

  // The manual editor comes back to the step just changed: take the keyboard to its heading.
  var landed = /^#step-\d+$/.test(window.location.hash)
    ? document.getElementById(window.location.hash.slice(1) + '-heading')
    : null;
  // After the browser has scrolled to the fragment, which would otherwise take the focus back.
  if (landed && !document.querySelector('main [role="alert"]'))
    window.addEventListener('load', function () {
      setTimeout(function () {
        landed.focus();
      }, 0);
    });

  // Each step's own Save sends just that step and stays put; the status moves beside the step.
  document.querySelectorAll('button[data-step-save]').forEach(function (button) {
    if (!token || !window.fetch || !window.URLSearchParams) return;
    button.addEventListener('click', function (event) {
      var form = button.form;
      var step = button.value.split(':')[1];
      var item = document.getElementById('step-' + step);
      var place = item && item.querySelector('[data-step-status]');
      if (!form || !place) return;
      event.preventDefault();
      var fields = new URLSearchParams();
      var prefix = 'step-' + step + '-';
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.name.indexOf(prefix) === 0 && el.type !== 'file')
          fields.append(el.name, el.value);
      });
      fields.append('action', button.value);
      var status = document.querySelector('main [role="status"], main [role="alert"]');
      if (!status) {
        status = document.createElement('div');
        status.setAttribute('role', 'status');
      }
      var say = function (ok, text) {
        status.setAttribute('role', ok ? 'status' : 'alert');
        status.className = 'flash ' + (ok ? 'flash-success' : 'flash-error');
        status.textContent = (ok ? 'Done: ' : 'Not done: ') + text;
      };
      place.appendChild(status);
      status.textContent = '';
      fetch(button.getAttribute('data-step-save'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-CSRF-Token': token.getAttribute('content'),
        },
        body: fields.toString(),
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            say(response.ok, answer.message || 'The step could not be saved.');
          });
        })
        .catch(function () {
          say(false, 'The step could not be saved: check the connection and try again.');
        });
    });
  });
})();
