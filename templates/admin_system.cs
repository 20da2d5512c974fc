<?cs include:"layout.cs" ?><?cs call:page_head("This installation") ?>
<div class="page-head">
  <h1>This installation</h1>
  <a class="button secondary" href="/admin">Back to admin</a>
</div>
<section class="panel" aria-labelledby="db-h">
  <h2 id="db-h">Database</h2>
  <dl class="facts">
    <dt>Status</dt><dd class="status-ok">ok</dd>
    <dt>PostgreSQL</dt><dd><?cs var:System.Postgres ?></dd>
    <dt>Schema version</dt><dd><?cs var:System.Schema ?></dd>
    <dt>Migrations applied</dt><dd><?cs var:System.Migrations ?></dd>
    <dt>Last migration</dt><dd><?cs var:System.LastApplied ?></dd>
  </dl>
</section>
<section class="panel" aria-labelledby="mail-h">
  <h2 id="mail-h">Outgoing mail</h2>
  <dl class="facts">
    <dt>Waiting to be sent</dt><dd><?cs var:Mail.Waiting ?></dd>
    <dt>Given up</dt><dd<?cs if:Mail.Failed > 0 ?> class="status-bad"<?cs /if ?>><?cs var:Mail.Failed ?></dd>
    <?cs if:Mail.LastError ?><dt>Last error</dt><dd><code><?cs var:Mail.LastError ?></code></dd><?cs /if ?>
  </dl>
  <p class="hint">To check the relay, run <code>wtctl send-test-mail ADDRESS</code> on the server.</p>
</section>
<?cs call:page_foot() ?>
