<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Create an account") ?>
<section class="panel form-panel">
  <h1>Create an account</h1>
  <?cs call:form_errors() ?>
  <form method="post" action="/register" novalidate>
    <?cs call:csrf_field() ?>
    <?cs if:Form.Value.invite ?>
      <input type="hidden" name="invite" value="<?cs var:Form.Value.invite ?>">
      <?cs if:Invite.Email ?><p>You were invited as <strong><?cs var:Invite.Email ?></strong>.</p><?cs /if ?>
      <?cs if:Form.Error.invite ?><p class="form-error" role="alert" id="e-invite"><?cs var:Form.Error.invite ?></p><?cs /if ?>
      <?cs if:Form.Error.email ?><p class="form-error" role="alert" id="e-email"><?cs var:Form.Error.email ?>
        <a href="/login">Sign in</a> · <a href="/password/forgot">Reset the password</a></p><?cs /if ?>
    <?cs else ?>
      <?cs call:field("email", "E-mail", "email", "email", "We will send a link to confirm it.") ?>
    <?cs /if ?>
    <?cs call:field("display_name", "Name", "text", "name", "As your team will see it.") ?>
    <?cs call:field("password", "Password", "password", "new-password", "At least 12 characters; not a dictionary word.") ?>
    <?cs call:field("password_confirm", "Repeat the password", "password", "new-password", "") ?>
    <button type="submit">Create the account</button>
  </form>
  <p class="aside">Have an account? <a href="/login">Sign in</a></p>
</section>
<?cs call:page_foot() ?>
