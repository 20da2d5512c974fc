<?cs include:"layout.cs" ?><?cs call:page_head(Page.Title) ?>
<?cs # The team page (cgi/dash/team.c): Team is the page's JSON twin, as
       it is.  Elements with data-k are refreshed by /static/js/live.js
       from /team/ID.json; without scripts the page is complete. ?>
<div class="report-head">
  <h1><?cs var:Team.team.name ?>
    <span class="sub">today, <?cs var:Team.today ?> · this week from <?cs var:Team.week.from ?></span></h1>
  <nav class="day-nav" aria-label="Team">
    <a href="/team/<?cs var:Team.team.id ?>/hours">Working hours</a>
    <a href="/team">All teams</a>
  </nav>
</div>
<p class="notice">Days and times are in your zone (<?cs var:Team.timezone ?>). Each person can see, on their
  <em>My data</em> page, that you looked at their figures, and when you open their day.</p>

<?cs if:Team.kept.out_of_date > 0 ?>
<p class="hint" role="status">The figures of <?cs var:Team.kept.out_of_date ?> people are as of <?cs var:Team.kept.as_of ?>; they are being brought up to date and show on the next refresh.</p>
<?cs /if ?>
<div class="cards figures team-counts" aria-label="Status">
  <div class="card"><span class="big"><?cs var:Team.counts.online ?></span>online</div>
  <div class="card"><span class="big"><?cs var:Team.counts.idle ?></span>idle</div>
  <div class="card"><span class="big"><?cs var:#Team.counts.offline + #Team.counts.never ?></span>offline</div>
  <div class="card"><span class="big"><?cs var:Team.median.text.today_worked ?></span>median worked today
    <span class="hint">(<?cs var:Team.median.people_today ?> of <?cs var:Team.counts.members ?> working)</span></div>
</div>

<section class="panel" aria-labelledby="members-h">
  <h2 id="members-h">Members</h2>
  <?cs if:Team.counts.members == 0 ?>
  <p>This team has no members yet. An admin adds them on the team’s page in Admin.</p>
  <?cs else ?>
  <p class="hint">Each figure is shown against the team’s median, taken over the members who have that figure (who worked today, this week).
    A name opens that person’s day.</p>
  <div class="table-wrap" id="live" data-live="/team/<?cs var:Team.team.id ?>.json" data-live-ms="30000">
  <table class="data compact cards-narrow team">
    <thead><tr><th scope="col">Person</th><th scope="col">Status</th><th scope="col" class="num">Worked today</th>
      <th scope="col" class="num">This week</th><th scope="col" class="num">Active</th><th scope="col" class="num">Productive</th>
      <th scope="col">First</th><th scope="col">Last</th></tr></thead>
    <tbody>
    <?cs each:m = Team.members ?>
    <tr><td data-label="Person"><a class="person" href="<?cs var:m.day ?>"><?cs var:m.name ?></a><?cs
        if:m.timezone != Team.timezone ?><span class="vs"><?cs var:m.timezone ?>, <?cs var:m.local_time ?> there</span><?cs /if ?></td>
      <td data-label="Status"><span class="status-<?cs var:m.status ?>" data-k="live.<?cs var:m.id ?>.status"><?cs var:m.status ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.last_seen"><?cs if:m.last_seen ?><?cs var:m.last_seen ?><?cs else ?>–<?cs /if ?></span></td>
      <td data-label="Worked today" class="num"><span data-k="live.<?cs var:m.id ?>.today"><?cs var:m.today.text.worked ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.vs_today_worked"><?cs var:m.vs_median.text.today_worked ?></span></td>
      <td data-label="This week" class="num"><span data-k="live.<?cs var:m.id ?>.week"><?cs var:m.week.text.worked ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.vs_week_worked"><?cs var:m.vs_median.text.week_worked ?></span></td>
      <td data-label="Active" class="num"><span data-k="live.<?cs var:m.id ?>.active_share"><?cs if:?m.today.active_share ?><?cs var:m.today.active_share ?>%<?cs else ?>–<?cs /if ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.vs_active_share"><?cs var:m.vs_median.text.active_share ?></span></td>
      <td data-label="Productive" class="num"><span data-k="live.<?cs var:m.id ?>.productive_share"><?cs if:?m.today.productive_share ?><?cs var:m.today.productive_share ?>%<?cs else ?>–<?cs /if ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.vs_productive_share"><?cs var:m.vs_median.text.productive_share ?></span></td>
      <td data-label="First"><span data-k="live.<?cs var:m.id ?>.first"><?cs if:m.today.first ?><?cs var:m.today.first ?><?cs else ?>–<?cs /if ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.vs_first"><?cs var:m.vs_median.text.first ?></span></td>
      <td data-label="Last"><span data-k="live.<?cs var:m.id ?>.last"><?cs if:m.today.last ?><?cs var:m.today.last ?><?cs else ?>–<?cs /if ?></span><span class="vs" data-k="live.<?cs var:m.id ?>.vs_last"><?cs var:m.vs_median.text.last ?></span></td></tr>
    <?cs /each ?>
    <tr class="median"><th scope="row" data-label="">Team median</th><td data-label="Status"><?cs var:Team.counts.online ?> online</td>
      <td data-label="Worked today" class="num" data-k="median.text.today_worked"><?cs var:Team.median.text.today_worked ?></td>
      <td data-label="This week" class="num" data-k="median.text.week_worked"><?cs var:Team.median.text.week_worked ?></td>
      <td data-label="Active" class="num"><?cs if:?Team.median.active_share ?><?cs var:Team.median.active_share ?>%<?cs else ?>–<?cs /if ?></td>
      <td data-label="Productive" class="num"><?cs if:?Team.median.productive_share ?><?cs var:Team.median.productive_share ?>%<?cs else ?>–<?cs /if ?></td>
      <td data-label="First"><?cs if:Team.median.first ?><?cs var:Team.median.first ?><?cs else ?>–<?cs /if ?></td>
      <td data-label="Last"><?cs if:Team.median.last ?><?cs var:Team.median.last ?><?cs else ?>–<?cs /if ?></td></tr>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>
<script src="/static/js/live.js" defer></script>
<?cs call:page_foot() ?>
