<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs set:Page.Nav = "account" ?><?cs call:page_head("Your sessions") ?>
<h1>Where you are signed in</h1>
<?cs call:form_errors() ?>
<table class="data">
  <thead><tr><th>Signed in</th><th>Last used</th><th>Address</th><th>Browser</th><th></th></tr></thead>
  <tbody>
  <?cs each:s = Sessions ?>
    <tr<?cs if:s.current == "1" ?> class="current"<?cs /if ?>>
      <td><?cs var:s.created ?></td><td><?cs var:s.last_seen ?></td>
      <td><?cs var:s.ip ?></td><td class="ua"><?cs var:s.user_agent ?></td>
      <td><?cs if:s.current == "1" ?>this browser<?cs /if ?></td>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
<?cs if:SessionCount > 1 ?>
<form method="post" action="/account/sessions/revoke-others">
  <?cs call:csrf_field() ?>
  <button type="submit">Sign out everywhere else</button>
</form>
<?cs /if ?>
<p><a href="/account">Back to your account</a></p>
<?cs call:page_foot() ?>
