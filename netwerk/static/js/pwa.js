/* netwerk — on every page (templates/base.html): the installable app.
   Signed in: register the service worker (/sw.js) and ask it to refresh the offline copy of
   one's own directory. Not signed in (the sign-in page after sign-out or after a session
   ended): delete whatever this site kept in Cache Storage and unregister the worker. */
(function () {
  "use strict";
  var script = document.currentScript;
  var signedIn = Boolean(script && script.getAttribute("data-signed-in") === "1");
  if (!("serviceWorker" in navigator)) { return; }
  if (!signedIn) {
    if (window.caches) {
      caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return caches.delete(key); }));
      });
    }
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      registrations.forEach(function (registration) { registration.unregister(); });
    });
    return;
  }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) { registration.active.postMessage({ type: "sync" }); }
  }).catch(function () { /* no service worker: the app works online as before */ });
})();
