<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Devices") ?>
<h1>Devices</h1>
<?cs call:form_errors() ?>
<table class="data">
  <thead><tr><th>Device</th><th>Person</th><th>Kind</th><th>Host</th><th>System</th><th>Agent</th><th>Last seen</th><th>Status</th><th></th></tr></thead>
  <tbody>
  <?cs each:d = Devices ?>
    <tr><td><?cs var:d.name ?></td><td><?cs var:d.user_name ?></td><td><?cs var:d.kind ?></td>
      <td><?cs var:d.hostname ?></td><td><?cs var:d.os ?></td><td><?cs var:d.agent_version ?></td>
      <td><?cs var:d.last_seen ?></td><td class="status-<?cs var:d.status ?>"><?cs var:d.status ?></td>
      <td><?cs if:d.status != "revoked" ?><form method="post" action="/admin/devices/<?cs var:d.id ?>/revoke" class="inline">
        <?cs call:csrf_field() ?><button type="submit" class="link">Revoke</button></form><?cs /if ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs if:subcount(Codes) > 0 ?>
<h2>Enrollment codes waiting to be used</h2>
<table class="data">
  <thead><tr><th>Device</th><th>Person</th><th>Kind</th><th>Expires</th><th></th></tr></thead>
  <tbody>
  <?cs each:c = Codes ?>
    <tr><td><?cs var:c.device_name ?></td><td><?cs var:c.user_name ?></td><td><?cs var:c.kind ?></td><td><?cs var:c.expires ?></td>
      <td><form method="post" action="/admin/devices/codes/<?cs var:c.id ?>/revoke" class="inline">
        <?cs call:csrf_field() ?><button type="submit" class="link">Revoke</button></form></td></tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs /if ?>
<section class="panel form-panel" aria-labelledby="code-h">
  <h2 id="code-h">Enroll a device</h2>
  <p class="hint">Makes a one-time code, valid for 24 hours: run
  <code>worktime-agent enroll <?cs var:Site.Url ?> CODE</code> on the computer.</p>
  <form method="post" action="/admin/devices/codes">
    <?cs call:csrf_field() ?>
    <?cs call:field("device_name", "Device name", "text", "off", "For example: office laptop") ?>
    <div class="field"><label for="f-kind">Kind</label>
      <select id="f-kind" name="kind"><option>agent</option><option>phone</option></select></div>
    <button type="submit">Make a code for me</button>
  </form>
</section>
<?cs call:page_foot() ?>
