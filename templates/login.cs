<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs set:Form.Autofocus = "email" ?><?cs call:page_head("Sign in") ?>
<section class="panel form-panel">
  <h1>Sign in</h1>
  <?cs call:form_errors() ?>
  <form method="post" action="/login" novalidate>
    <?cs call:csrf_field() ?>
    <input type="hidden" name="next" value="<?cs var:Form.Value.next ?>">
    <?cs call:field("email", "E-mail", "email", "username", "") ?>
    <?cs call:field("password", "Password", "password", "current-password", "") ?>
    <button type="submit">Sign in</button>
  </form>
  <p class="aside"><a href="/password/forgot">Forgot your password?</a></p>
  <?cs if:Registration.Mode == "open" ?>
  <p class="aside">New here? <a href="/register">Create an account</a></p>
  <?cs elif:Registration.Mode == "invite" ?>
  <p class="aside">No account yet? Accounts here are by invitation: ask your administrator to invite you, and follow the link in the e-mail.</p>
  <?cs elif:Registration.Mode == "closed" ?>
  <p class="aside">No account yet? Accounts here are created by the administrators: ask yours for one.</p>
  <?cs /if ?>
</section>
<?cs call:page_foot() ?>
