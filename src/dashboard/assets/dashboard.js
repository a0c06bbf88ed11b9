// stepcd dashboard: the little the page does on its own. htmx does the live refresh and the buttons.
(function () {
  'use strict';
  // Times are rendered by the server in the viewer's time zone, which only the browser knows.
  var tz = '';
  try {
    tz = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    tz = '';
  }
  var cookie = 'stepcd_tz=' + encodeURIComponent(tz);
  var known = document.cookie.split('; ').indexOf(cookie) >= 0;
  if (tz) document.cookie = cookie + '; path=/; SameSite=Strict; max-age=31536000';

  document.addEventListener('DOMContentLoaded', function () {
    // First visit: the page came in UTC; fetch it again in the viewer's zone.
    if (tz && !known && window.htmx && document.getElementById('main')) {
      window.htmx.ajax('GET', window.location.pathname, { target: '#main', swap: 'morph:outerHTML' });
    }
  });

  // Nobody is looking at a hidden tab: skip its refreshes (the next visible one catches up).
  document.addEventListener('htmx:beforeRequest', function (event) {
    var detail = event.detail || {};
    if (document.hidden && detail.requestConfig && detail.requestConfig.verb === 'get') event.preventDefault();
  });
})();
