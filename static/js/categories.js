// The rule editor's preview in place: the Preview button posts the form
// to /admin/categories/preview as it would without script, and the
// preview section of the page that comes back replaces this page's, so
// what was typed stays where it is.  A refused preview (a bad pattern)
// is submitted the ordinary way, which shows the message next to its
// field.  The page works the same without this script.
'use strict';
(function () {
  const button = document.querySelector('button[data-preview]');
  const target = document.getElementById('preview');
  if (!button || !target || !window.fetch || !window.DOMParser) return;
  const form = button.form;
  let plain = false;

  button.addEventListener('click', async (ev) => {
    if (plain) return;
    ev.preventDefault();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(button.formAction, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: 'text/html' },
        credentials: 'same-origin',
      });
      if (!res.ok) throw new Error(String(res.status));
      const page = new DOMParser().parseFromString(await res.text(), 'text/html');
      const fresh = page.getElementById('preview');
      if (!fresh) throw new Error('no preview');
      target.innerHTML = fresh.innerHTML;
      const heading = target.querySelector('h2');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    } catch (e) {
      plain = true;
      button.disabled = false;
      button.click();
      return;
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
})();
