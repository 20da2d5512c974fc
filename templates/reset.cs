<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs set:Form.Autofocus = "password" ?><?cs call:page_head("Choose a new password") ?>
<section class="panel form-panel">
  <h1>Choose a new password</h1>
  <?cs if:Reset.Email ?><p>For <strong><?cs var:Reset.Email ?></strong>.</p><?cs /if ?>
  <?cs call:form_errors() ?>
  <form method="post" action="/password/reset" novalidate>
    <?cs call:csrf_field() ?>
    <input type="hidden" name="token" value="<?cs var:Form.Value.token ?>">
    <?cs call:field("password", "New password", "password", "new-password", "At least 12 characters; not one of your last five.") ?>
    <?cs call:field("password_confirm", "Repeat the password", "password", "new-password", "") ?>
    <button type="submit">Set the password</button>
  </form>
</section>
<?cs call:page_foot() ?>
