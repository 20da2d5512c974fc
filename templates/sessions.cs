<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs set:Page.Nav = "account" ?><?cs call:page_head("Your sessions") ?>
<div class="page-head">
  <h1>Where you are signed in</h1>
  <a class="button secondary" href="/account">Back to your account</a>
</div>
<?cs call:form_errors() ?>
<div class="table-wrap" role="region" aria-label="Your sessions" tabindex="0">
<table class="data cards-narrow">
  <thead><tr><th scope="col">Browser</th><th scope="col">Signed in</th><th scope="col">Last used</th><th scope="col">Address</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  <?cs each:s = Sessions ?>
    <tr<?cs if:s.current == "1" ?> class="current"<?cs /if ?>>
      <td data-label="Browser"><span title="<?cs var:s.user_agent ?>"><?cs var:s.browser ?></span><?cs if:s.current == "1" ?> <strong>(this browser)</strong><?cs /if ?></td>
      <td data-label="Signed in"><?cs var:s.created ?></td><td data-label="Last used"><?cs var:s.last_seen ?></td>
      <td data-label="Address"><?cs var:s.ip ?></td>
      <td class="actions"><?cs if:s.current != "1" ?>
        <form method="post" action="/account/sessions/<?cs var:s.id ?>/revoke" class="inline">
          <?cs call:csrf_field() ?><button type="submit" class="danger-outline small">Sign out<span class="visually-hidden"> <?cs var:s.browser ?>, last used <?cs var:s.last_seen ?></span></button>
        </form><?cs /if ?></td>
    </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:SessionCount > 1 ?>
<form method="post" action="/account/sessions/revoke-others">
  <?cs call:csrf_field() ?>
  <button type="submit" class="danger">Sign out everywhere else</button>
</form>
<?cs /if ?>
<?cs call:page_foot() ?>
