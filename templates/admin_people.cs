<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("People") ?>
<div class="page-head">
  <h1>People</h1>
  <div class="actions">
    <a class="button secondary" href="/admin/invitations">Invitations</a>
    <?cs if:Can.Invite ?><a class="button" href="/admin/invitations#invite">Invite a person</a><?cs /if ?>
  </div>
</div>
<?cs call:form_errors() ?>
<form method="get" action="/admin/users" class="filters" role="search" aria-label="People">
  <label>Search <input type="search" name="q" value="<?cs var:Form.Value.q ?>" placeholder="name or e-mail"></label>
  <label>Team <select name="team"><option value="">Any</option>
    <?cs each:t = Teams ?><option value="<?cs var:t.id ?>"<?cs if:t.id == Form.Value.team ?> selected<?cs /if ?>><?cs var:t.name ?></option><?cs /each ?>
  </select></label>
  <label>Role <select name="role"><option value="">Any</option>
    <option value="member"<?cs if:Form.Value.role == "member" ?> selected<?cs /if ?>>Member</option>
    <option value="manager"<?cs if:Form.Value.role == "manager" ?> selected<?cs /if ?>>Manager</option>
    <option value="admin"<?cs if:Form.Value.role == "admin" ?> selected<?cs /if ?>>Admin</option>
  </select></label>
  <button type="submit" class="secondary">Filter</button>
</form>
<p class="aside"><?cs var:Page.Total ?> <?cs if:Page.Total == 1 ?>person<?cs else ?>people<?cs /if ?></p>
<div class="table-wrap" role="region" aria-label="People" tabindex="0">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Teams</th></tr></thead>
  <tbody>
  <?cs each:u = Users ?>
    <tr><td data-label="Name"><a href="/admin/users/<?cs var:u.id ?>"><?cs var:u.name ?></a></td><td data-label="E-mail"><?cs var:u.email ?></td>
      <td data-label="Role"><?cs var:u.role ?></td><td data-label="Status" class="status-<?cs var:u.status ?>"><?cs var:u.status ?></td><td data-label="Teams"><?cs var:u.teams ?></td></tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:Page.Last > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.Number > 1 ?><a href="/admin/users?q=<?cs var:url_escape(Form.Value.q) ?>&amp;team=<?cs var:url_escape(Form.Value.team) ?>&amp;role=<?cs var:url_escape(Form.Value.role) ?>&amp;page=<?cs var:Page.Number - 1 ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.Number ?> of <?cs var:Page.Last ?></span>
  <?cs if:Page.Number < Page.Last ?><a href="/admin/users?q=<?cs var:url_escape(Form.Value.q) ?>&amp;team=<?cs var:url_escape(Form.Value.team) ?>&amp;role=<?cs var:url_escape(Form.Value.role) ?>&amp;page=<?cs var:Page.Number + 1 ?>">Next</a><?cs /if ?>
</nav>
<?cs /if ?>
<?cs call:page_foot() ?>
