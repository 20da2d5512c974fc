<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # Installing the widget (tasks_widget.c). ?>
<h1>The task widget</h1>
<p>The widget is a small overlay on the page you work on. It times each task you do and sends
the times here, to your <a href="/sessions">task sessions</a>. It runs in a userscript manager,
Tampermonkey or Violentmonkey, in Chrome, Edge or Firefox.</p>
<section class="panel" aria-labelledby="install-h">
  <h2 id="install-h">Install it</h2>
  <ol class="steps">
    <li>Install <a href="https://www.tampermonkey.net/">Tampermonkey</a> or
      <a href="https://violentmonkey.github.io/">Violentmonkey</a> in your browser
      (in Chrome and Edge, turn on the extensions page’s <em>Developer mode</em> too).</li>
    <li><a class="button" href="/static/worktime-widget.user.js" id="install">Install the widget</a>
      and confirm in the page the userscript manager opens.</li>
    <li>In the userscript manager, edit the script’s <code>@match</code> lines to the site you work
      on, one line per site, for example <code>@match https://www.raterhub.com/*</code>.</li>
    <li>Open that site. In the overlay, click ⚙ and enter this server,
      <code><?cs var:Widget.Server ?></code>, your e-mail and your password. The password is not
      kept; the widget stays signed in until you sign out, or leave it unused longer than a signed-in
      browser may be (8 hours unless your admin changed it). When this server is on your local
      network, Chrome and Edge ask once whether the site may reach it: allow it.</li>
  </ol>
  <p>The server accepts the widget only from the sites your admin lists in
    <code>cors.origins</code>:
    <?cs if:Widget.Origins.0 ?><?cs each:o = Widget.Origins ?><code><?cs var:o ?></code> <?cs /each ?><?cs
    else ?><strong>none yet</strong>: ask your admin to add the site you work on.<?cs /if ?></p>
</section>
<section class="panel" aria-labelledby="use-h">
  <h2 id="use-h">Use it</h2>
  <table class="data compact">
    <thead><tr><th>Button</th><th>Keys</th><th>What it does</th></tr></thead>
    <tbody>
      <tr><td>NEXT</td><td><kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>N</kbd></td><td>Starts a session and its first task; in a session, ends the task and starts the next.</td></tr>
      <tr><td>PAUSE</td><td><kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>P</kbd></td><td>Pauses the task, or resumes it. Paused time is not active time.</td></tr>
      <tr><td>UNDO</td><td><kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>U</kbd></td><td>Takes back the last NEXT: the task before continues as if you had not pressed it.</td></tr>
      <tr><td>EXIT</td><td><kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>X</kbd></td><td>Ends the task and the session.</td></tr>
    </tbody>
  </table>
  <p>The keys do nothing while you type in a field. Drag the overlay by its title bar; it stays
  where you leave it. It shows the running task’s active time, the task’s number and how many are
  done, and your pace against the session’s target: 🚀 up to 80% of it, 😀 up to 100%, 🙂 up to
  115%, 😐 up to 135%, 😟 up to 160%, 🐢 above.</p>
  <p>When the server cannot be reached the overlay says <em>Offline</em> and keeps your events,
  with the time you pressed, in the browser; they are sent in order as soon as it answers, and
  counted once. A session you leave open ends on its own at its last event when nothing happens
  for a while.</p>
</section>
<?cs call:page_foot() ?>
