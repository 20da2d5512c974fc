<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # One task session (tasks_session.c). ?>
<?cs def:pace_cell(p) ?><?cs if:p.known == "1" ?><span class="pace" title="<?cs var:p.words ?>"><span aria-hidden="true"><?cs var:p.emoji ?></span> <?cs var:p.percent ?>%<span class="visually-hidden"> of the target, <?cs var:p.words ?></span></span><?cs else ?>–<?cs /if ?><?cs /def ?>
<div class="report-head">
  <h1><?cs if:Person.Self != "1" ?><?cs var:Person.Name ?>’s task session<?cs else ?>Task session<?cs /if ?> <?cs var:Session.id ?>
    <span class="sub"><?cs var:Session.day ?> <?cs var:Session.start ?>–<?cs var:Session.end ?></span></h1>
  <nav class="day-nav" aria-label="Task sessions">
    <a href="/sessions<?cs var:Range.UserQuery ?>">All sessions</a>
    <a href="/sessions/today<?cs var:Range.UserQuery ?>">Today</a>
  </nav>
</div>
<?cs if:Person.Self != "1" ?>
<p class="notice">You are looking at <?cs var:Person.Name ?>’s session; <?cs var:Person.Name ?> can see that you looked. Times are in your zone (<?cs var:Person.ViewTz ?>).</p>
<?cs /if ?>
<div class="cards" id="session-totals">
  <div class="card"><span class="big" data-k="tasks"><?cs var:Session.tasks ?></span>tasks<?cs if:Session.deleted != "0" ?> (<?cs var:Session.deleted ?> deleted)<?cs /if ?></div>
  <div class="card"><span class="big" data-k="active"><?cs var:Session.active ?></span>active</div>
  <div class="card"><span class="big" data-k="paused"><?cs var:Session.paused ?></span>paused</div>
  <div class="card"><span class="big" data-k="duration"><?cs var:Session.duration ?></span><?cs if:Session.open == "1" ?>so far<?cs else ?>from start to end<?cs /if ?></div>
  <div class="card"><span class="big" data-k="pace"><?cs if:Session.pace.known == "1" ?><span aria-hidden="true"><?cs var:Session.pace.emoji ?></span> <?cs var:Session.pace.min ?><?cs else ?>–<?cs /if ?></span>min per task against <?cs var:Session.target ?><?cs if:Session.pace.known == "1" ?>: <?cs var:Session.pace.words ?><?cs /if ?></div>
</div>
<p class="hint">State: <?cs var:Session.state ?>.<?cs if:Running.number ?> Task <?cs var:Running.number ?> is running since <?cs var:Running.start ?> (<?cs var:Running.active ?> active<?cs if:Running.paused == "t" ?>, paused now<?cs /if ?>); it counts once it is finished.<?cs /if ?></p>
<section class="panel" aria-labelledby="tasks-h">
  <h2 id="tasks-h">Tasks</h2>
  <?cs if:!Tasks.0.number ?><p>No finished task yet.</p><?cs else ?>
  <div class="table-scroll">
  <table class="data cards-narrow" id="tasks">
    <thead><tr><th class="num">Task</th><th>Start</th><th>End</th><th class="num">Raw</th><th class="num">Paused</th><th class="num">Active</th><th>Pace</th><?cs if:Person.Self == "1" && Session.open != "1" ?><th></th><?cs /if ?></tr></thead>
    <tbody><?cs each:t = Tasks ?>
      <tr data-task="<?cs var:t.number ?>"><td data-label="Task" class="num"><?cs var:t.number ?></td>
        <td data-label="Start"><?cs var:t.start ?></td><td data-label="End"><?cs var:t.end ?></td>
        <td data-label="Raw" class="num"><?cs var:t.raw ?></td><td data-label="Paused" class="num"><?cs var:t.paused ?></td>
        <td data-label="Active" class="num"><?cs var:t.active ?></td><td data-label="Pace"><?cs call:pace_cell(t.pace) ?></td>
        <?cs if:Person.Self == "1" && Session.open != "1" ?><td class="actions">
          <details class="confirm">
            <summary class="button danger-outline small">Delete<span class="visually-hidden"> task <?cs var:t.number ?></span></summary>
            <div class="confirm-box">
              <p>Delete task <?cs var:t.number ?> (<?cs var:t.active ?> active)? The session’s totals and pace are counted without it.</p>
              <form method="post" action="/sessions/<?cs var:Session.id ?>/tasks/<?cs var:t.number ?>/delete">
                <?cs call:csrf_field() ?><button type="submit" class="danger small">Yes, delete task <?cs var:t.number ?></button>
              </form>
            </div>
          </details></td><?cs /if ?></tr><?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
  <p class="hint">Raw: from the task’s start to its end. Active: raw less paused. Pace: 🚀 up to 80% of the target, 😀 up to 100%, 🙂 up to 115%, 😐 up to 135%, 😟 up to 160%, 🐢 above.</p>
</section>
<?cs if:Person.Self == "1" ?>
<section class="panel form-panel danger" aria-labelledby="delete-h">
  <h2 id="delete-h">Delete the session</h2>
  <details class="confirm">
    <summary class="button danger-outline">Delete session <?cs var:Session.id ?>…</summary>
    <div class="confirm-box">
      <p>Delete session <?cs var:Session.id ?> with its <?cs var:Session.tasks ?> tasks? This cannot be undone.</p>
      <form method="post" action="/sessions/<?cs var:Session.id ?>/delete">
        <?cs call:csrf_field() ?><button type="submit" class="danger">Yes, delete the session</button>
      </form>
    </div>
  </details>
</section>
<?cs /if ?>
<?cs call:page_foot() ?>
