// Small enhancements only: every page works without this file.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target.closest('[data-print]') : null;
    if (target) window.print();
  });
  // After a form redirects back with a refusal, take the keyboard to the message.
  var alert = document.querySelector('main [role="alert"]');
  if (alert) {
    alert.setAttribute('tabindex', '-1');
    alert.focus();
  }
})();
