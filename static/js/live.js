// Live figures: a page marks an element with data-live="URL of its JSON
// twin"; every minute the twin is fetched and each element with
// data-k="path.in.json" inside it gets the new value as text.  Pages are
// complete without this script: it only saves a reload.
(function () {
	'use strict';
	var root = document.querySelector('[data-live]');
	if (!root || !window.fetch) {
		return;
	}
	var url = root.getAttribute('data-live');
	var period = 60000;

	function pick(obj, path) {
		var parts = path.split('.');
		for (var i = 0; i < parts.length; i++) {
			if (obj === null || obj === undefined) {
				return undefined;
			}
			obj = obj[parts[i]];
		}
		return obj;
	}

	function apply(data) {
		var els = document.querySelectorAll('[data-k]');
		for (var i = 0; i < els.length; i++) {
			var v = pick(data, els[i].getAttribute('data-k'));
			if (v === null) {
				v = '–';
			}
			if (v !== undefined && els[i].textContent !== String(v)) {
				els[i].textContent = String(v);
			}
		}
		root.setAttribute('data-updated', new Date().toISOString());
	}

	function refresh() {
		if (document.hidden) {
			return;
		}
		fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
			.then(function (r) { return r.ok ? r.json() : null; })
			.then(function (data) { if (data) { apply(data); } })
			.catch(function () { /* the next tick tries again */ });
	}

	var ms = parseInt(root.getAttribute('data-live-ms') || '', 10);
	if (ms >= 1000) {
		period = ms;
	}
	setInterval(refresh, period);
	document.addEventListener('visibilitychange', refresh);
})();
