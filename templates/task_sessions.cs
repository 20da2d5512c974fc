<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # Task sessions in a range of days (tasks_list.c); timings from
       task_event() in sql/010_tasks.sql. ?>
<?cs def:pace_cell(p) ?><?cs if:p.known == "1" ?><span class="pace" title="<?cs var:p.words ?>"><span aria-hidden="true"><?cs var:p.emoji ?></span> <?cs var:p.min ?> min/task <span class="hint">(<?cs var:p.percent ?>% of target; <?cs var:p.words ?>)</span></span><?cs else ?><span class="hint">no finished task</span><?cs /if ?><?cs /def ?>
<div class="report-head">
  <h1><?cs if:Person.Name && Person.Self != "1" ?><?cs var:Person.Name ?>’s task sessions<?cs else ?>Task sessions<?cs /if ?></h1>
  <nav class="day-nav" aria-label="Task sessions">
    <a href="/sessions/today<?cs var:Range.UserQuery ?>">Today</a>
    <a href="/widget">The widget</a>
  </nav>
</div>
<?cs if:Person.Name && Person.Self != "1" ?>
<p class="notice">You are looking at <?cs var:Person.Name ?>’s task sessions; <?cs var:Person.Name ?> can see that you looked. Times are in your zone (<?cs var:Person.ViewTz ?>).</p>
<?cs /if ?>
<?cs if:Notice ?><p class="notice" role="status"><?cs var:Notice ?></p><?cs /if ?>
<?cs call:form_errors() ?>
<form method="get" action="/sessions" class="range-form" novalidate>
  <?cs if:Person.Self != "1" && Person.Id ?><input type="hidden" name="user" value="<?cs var:Person.Id ?>"><?cs /if ?>
  <?cs call:field("from", "From", "date", "off", "") ?>
  <?cs call:field("to", "To", "date", "off", "") ?>
  <button type="submit">Show</button>
</form>
<?cs if:Range.From ?>
<div class="cards">
  <div class="card"><span class="big"><?cs var:Totals.sessions ?></span>sessions</div>
  <div class="card"><span class="big"><?cs var:Totals.tasks ?></span>tasks</div>
  <div class="card"><span class="big"><?cs var:Totals.active ?></span>active</div>
  <div class="card"><span class="big"><?cs if:Totals.pace.known == "1" ?><span aria-hidden="true"><?cs var:Totals.pace.emoji ?></span> <?cs var:Totals.pace.min ?><?cs else ?>–<?cs /if ?></span>min per task<?cs if:Totals.pace.known == "1" ?>: <?cs var:Totals.pace.words ?><?cs /if ?></div>
</div>
<section class="panel" aria-labelledby="list-h">
  <h2 id="list-h">Sessions from <?cs var:Range.From ?> to <?cs var:Range.To ?></h2>
  <?cs if:Totals.sessions == "0" ?>
  <p>No task session started in these days. Sessions are timed with <a href="/widget">the widget</a>.</p>
  <?cs else ?>
  <div class="table-scroll">
  <table class="data cards-narrow">
    <thead><tr><th>Day</th><th>Time</th><th>State</th><th class="num">Tasks</th><th class="num">Active</th><th class="num">Paused</th><th>Pace (target)</th><th></th></tr></thead>
    <tbody><?cs each:s = Sessions ?>
      <tr><td data-label="Day"><?cs var:s.day ?></td>
        <td data-label="Time"><?cs var:s.start ?>–<?cs var:s.end ?></td>
        <td data-label="State"><?cs var:s.state ?></td>
        <td data-label="Tasks" class="num"><?cs var:s.tasks ?></td>
        <td data-label="Active" class="num"><?cs var:s.active ?></td>
        <td data-label="Paused" class="num"><?cs var:s.paused ?></td>
        <td data-label="Pace"><?cs call:pace_cell(s.pace) ?> <span class="hint">target <?cs var:s.target ?></span></td>
        <td class="actions"><a href="/sessions/<?cs var:s.id ?>">Session <?cs var:s.id ?></a></td></tr><?cs /each ?>
    </tbody>
  </table>
  </div>
  <p><a class="button" href="/sessions.csv?from=<?cs var:Range.From ?>&amp;to=<?cs var:Range.To ?><?cs if:Person.Self != "1" ?>&amp;user=<?cs var:Person.Id ?><?cs /if ?>">Download the tasks (CSV)</a></p>
  <?cs /if ?>
</section>
<?cs /if ?>
<section class="panel" aria-labelledby="scale-h">
  <h2 id="scale-h">The pace scale</h2>
  <p>Pace is active minutes per finished task against the session’s target:
  🚀 up to 80% of the target, 😀 up to 100%, 🙂 up to 115%, 😐 up to 135%, 😟 up to 160%, 🐢 above.</p>
</section>
<?cs call:page_foot() ?>
