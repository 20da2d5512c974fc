<?cs include:"layout.cs" ?><?cs call:page_head("Enrollment code") ?>
<section class="panel form-panel">
  <h1>Enrollment code for <?cs var:Code.Device ?></h1>
  <p class="code"><code><?cs var:Code.Shown ?></code></p>
  <p>It works once, until <?cs var:Code.Expires ?>. It is shown only now: copy it.</p>
  <p>On the computer: <code>worktime-agent enroll <?cs var:Site.Url ?> <?cs var:Code.Shown ?></code>,
  then <code>systemctl --user enable --now worktime-agent</code>.</p>
  <p><a href="/admin/devices">Back to the devices</a></p>
</section>
<?cs call:page_foot() ?>
