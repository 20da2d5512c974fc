<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # Today's tasks (tasks_today.c). ?>
<div class="report-head">
  <h1><?cs if:Person.Self != "1" ?><?cs var:Person.Name ?>’s tasks today<?cs else ?>Tasks today<?cs /if ?>
    <span class="sub"><?cs var:Person.Today ?></span></h1>
  <nav class="day-nav" aria-label="Task sessions">
    <a href="/sessions<?cs var:Range.UserQuery ?>">All sessions</a>
    <a href="/widget">The widget</a>
  </nav>
</div>
<?cs if:Person.Self != "1" ?>
<p class="notice">You are looking at <?cs var:Person.Name ?>’s tasks; <?cs var:Person.Name ?> can see that you looked. Hours are in your zone (<?cs var:Person.ViewTz ?>).</p>
<?cs /if ?>
<div class="cards">
  <div class="card"><span class="big"><?cs var:Today.tasks ?></span>tasks finished</div>
  <div class="card"><span class="big"><?cs var:Today.active ?></span>active</div>
  <div class="card"><span class="big"><?cs if:Today.pace.known == "1" ?><span aria-hidden="true"><?cs var:Today.pace.emoji ?></span> <?cs var:Today.pace.min ?><?cs else ?>–<?cs /if ?></span>min per task<?cs if:Today.pace.known == "1" ?>, <?cs var:Today.pace.percent ?>% of the target: <?cs var:Today.pace.words ?><?cs /if ?></div>
</div>
<section class="panel" aria-labelledby="hours-h">
  <h2 id="hours-h">Tasks finished per hour</h2>
  <svg class="hourbars" viewBox="0 -14 <?cs var:Today.width ?> 150" role="img" aria-label="Tasks finished in each hour of the day">
    <?cs each:h = Hours ?><g><title><?cs var:h.label ?>:00 – <?cs var:h.count ?> tasks</title>
      <rect x="<?cs var:h.x ?>" y="<?cs var:h.y ?>" width="20" height="<?cs var:h.h ?>" fill="#2e7d5b"/>
      <?cs if:h.count != "0" ?><text x="<?cs var:h.cx ?>" y="<?cs var:h.y ?>" dy="-3" font-size="9" text-anchor="middle" fill="#37474f"><?cs var:h.count ?></text><?cs /if ?>
      <text x="<?cs var:h.cx ?>" y="134" font-size="9" text-anchor="middle" fill="#546e7a"><?cs var:h.label ?></text></g><?cs /each ?>
  </svg>
</section>
<section class="panel" aria-labelledby="s-h">
  <h2 id="s-h">Today’s sessions</h2>
  <?cs if:!Sessions.0.id ?><p>No task session today. Time your tasks with <a href="/widget">the widget</a>.</p><?cs else ?>
  <ul><?cs each:s = Sessions ?><li><a href="/sessions/<?cs var:s.id ?>">Session <?cs var:s.id ?></a>: <?cs var:s.start ?>–<?cs var:s.end ?>, <?cs var:s.tasks ?> tasks, <?cs var:s.active ?> active<?cs if:s.pace.known == "1" ?>, <span aria-hidden="true"><?cs var:s.pace.emoji ?></span> <?cs var:s.pace.min ?> min/task (<?cs var:s.pace.words ?>)<?cs /if ?> <span class="hint"><?cs var:s.state ?></span></li><?cs /each ?></ul>
  <?cs /if ?>
</section>
<?cs call:page_foot() ?>
