<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Devices") ?>
<h1>Devices</h1>
<?cs call:form_errors() ?>
<?cs if:subcount(Devices) == 0 ?>
<p class="empty">No devices are enrolled yet. Install the agent and enroll it with a code (below).</p>
<?cs else ?>
<div class="table-wrap" role="region" aria-label="Devices" tabindex="0">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Device</th><th scope="col">Person</th><th scope="col">Kind</th><th scope="col">Host</th><th scope="col">System</th><th scope="col">Agent</th><th scope="col">Last seen</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  <?cs each:d = Devices ?>
    <tr><td data-label="Device"><?cs var:d.name ?></td><td data-label="Person"><?cs var:d.user_name ?></td><td data-label="Kind"><?cs var:d.kind ?></td>
      <td data-label="Host"><?cs var:d.hostname ?></td><td data-label="System"><?cs var:d.os ?></td><td data-label="Agent"><?cs var:d.agent_version ?></td>
      <td data-label="Last seen"><?cs if:d.last_seen ?><?cs var:d.last_seen ?><?cs else ?><span class="muted">never</span><?cs /if ?></td><td data-label="Status" class="status-<?cs var:d.status ?>"><?cs var:d.status ?></td>
      <td class="actions"><?cs if:d.status != "revoked" ?>
        <details class="confirm">
          <summary class="button danger-outline small">Revoke<span class="visually-hidden"> <?cs var:d.name ?></span></summary>
          <div class="confirm-box">
            <p>Revoke <strong><?cs var:d.name ?></strong> of <?cs var:d.user_name ?>? Its agent can no longer send anything; what it sent is kept. To use it again, enroll it anew.</p>
            <form method="post" action="/admin/devices/<?cs var:d.id ?>/revoke">
              <?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, revoke</button>
            </form>
          </div>
        </details><?cs /if ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs if:subcount(Codes) > 0 ?>
<h2 id="codes-h">Enrollment codes waiting to be used</h2>
<div class="table-wrap" role="region" aria-labelledby="codes-h" tabindex="0">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Device</th><th scope="col">Person</th><th scope="col">Kind</th><th scope="col">Works until</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  <?cs each:c = Codes ?>
    <tr><td data-label="Device"><?cs var:c.device_name ?></td><td data-label="Person"><?cs var:c.user_name ?></td><td data-label="Kind"><?cs var:c.kind ?></td><td data-label="Works until"><?cs var:c.expires ?></td>
      <td class="actions">
        <details class="confirm">
          <summary class="button danger-outline small">Revoke<span class="visually-hidden"> the code for <?cs var:c.device_name ?></span></summary>
          <div class="confirm-box">
            <p>Revoke the code for <strong><?cs var:c.device_name ?></strong>? It can no longer be used to enroll.</p>
            <form method="post" action="/admin/devices/codes/<?cs var:c.id ?>/revoke">
              <?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, revoke</button>
            </form>
          </div>
        </details></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<div class="columns">
<section class="panel form-panel" aria-labelledby="code-h">
  <h2 id="code-h">Enroll a device</h2>
  <p class="hint">Makes a one-time code, valid for 24 hours, for a computer of yours.</p>
  <form method="post" action="/admin/devices/codes" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("device_name", "Device name", "text", "off", "For example: office laptop") ?>
    <div class="field<?cs if:Form.Error.kind ?> has-error<?cs /if ?>">
      <label for="f-kind">Kind</label>
      <select id="f-kind" name="kind"<?cs call:error_attrs("kind") ?>>
        <?cs call:option("kind", "agent", "Computer (the desktop agent)") ?>
        <?cs call:option("kind", "phone", "Phone") ?>
      </select>
      <?cs call:field_error("kind") ?>
    </div>
    <?cs if:Form.Error.user_id ?><p class="field-error"><?cs var:Form.Error.user_id ?></p><?cs /if ?>
    <button type="submit">Make a code for me</button>
  </form>
</section>
<section class="panel" aria-labelledby="install-h">
  <h2 id="install-h">How to install the agent</h2>
  <ol class="steps">
    <li>On the computer (Linux with X11), build Worktime from the same source as this
    server: <code>./configure &amp;&amp; make &amp;&amp; sudo make install</code> installs
    <code>worktime-agent</code> (it needs libX11, libXss and libcurl).</li>
    <li>Make a code with the form on this page.</li>
    <li>On the computer, run <code>worktime-agent enroll <?cs var:Site.Url ?> CODE</code>
    with the code, then <code>systemctl --user enable --now worktime-agent</code>: it
    starts with every desktop session from then on (desktops without a systemd user
    session start it from the autostart entry <code>make install</code> put in place;
    <code>worktime-agent run</code> runs it by hand). The device then appears in the list
    above; <code>worktime-agent status</code> says whether it reaches the server, and
    <code>man worktime-agent</code> says the rest.</li>
  </ol>
</section>
</div>
<?cs call:page_foot() ?>
