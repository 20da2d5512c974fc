<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs call:page_head("Sign in") ?>
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
  <p class="aside"><a href="/password/forgot">Forgot your password?</a> ·
    <a href="/register">Create an account</a></p>
</section>
<?cs call:page_foot() ?>
