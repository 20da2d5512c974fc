<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("My data") ?>
<h1>My data</h1>
<?cs if:Deleted ?><p class="notice">Deleted: <?cs var:Deleted ?> recorded spans were removed or cut.</p><?cs /if ?>
<?cs call:form_errors() ?>

<section class="panel" aria-labelledby="ex-h">
  <h2 id="ex-h">Export my activity</h2>
  <p class="hint">Every stretch of your day as the reports count it: start and end in your
    time zone, seconds, active or away, application, window title, address and category.</p>
  <form method="get" action="/export.csv" class="filters">
    <label for="ex-from">From <input id="ex-from" type="date" name="from" value="<?cs var:Export.From ?>" required></label>
    <label for="ex-to">To <input id="ex-to" type="date" name="to" value="<?cs var:Export.To ?>" required></label>
    <button type="submit">Download CSV</button>
    <button type="submit" formaction="/export.json">Download JSON</button>
  </form>
</section>

<section class="panel" aria-labelledby="all-h">
  <h2 id="all-h">Everything about me</h2>
  <p>One JSON file with your account, teams, devices, sessions, the audit log entries by or
    about you, every span of activity stored, and your task sessions with their tasks and
    events.</p>
  <p><a class="button" href="/me/data/everything.json" download>Download everything</a></p>
</section>

<section class="panel" aria-labelledby="looks-h">
  <h2 id="looks-h">Who looked at my reports</h2>
  <?cs if:subcount(Looks) > 0 ?>
  <table class="data compact">
    <thead><tr><th>When</th><th>Who</th><th>What</th></tr></thead>
    <tbody><?cs each:l = Looks ?>
      <tr><td class="nowrap"><?cs var:l.at ?></td><td><?cs var:l.who ?> <span class="hint"><?cs var:l.role ?></span></td>
        <td><?cs var:l.page ?> <?cs var:l.what ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs else ?><p class="hint">Nobody but you has opened your reports.</p><?cs /if ?>
  <p class="hint">Managers of your teams and administrators can open your reports; every time
    they do, it is listed here.</p>
</section>

<section class="panel danger form-panel" aria-labelledby="del-h">
  <h2 id="del-h">Delete my activity</h2>
  <p>Deleted activity is gone from every report and export. This cannot be undone.</p>
  <form method="post" action="/me/data/delete">
    <?cs call:csrf_field() ?>
    <div class="row2">
      <?cs call:field("from", "From", "date", "off", "") ?>
      <?cs call:field("to", "To", "date", "off", "") ?>
    </div>
    <div class="field"><label><input type="checkbox" name="all" value="1"<?cs if:Form.Value.all ?> checked<?cs /if ?>> Everything, not only these days</label></div>
    <?cs call:field("confirm", "Type delete to confirm", "text", "off", "") ?>
    <button type="submit" class="danger">Delete</button>
  </form>
</section>
<?cs call:page_foot() ?>
