<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs set:Form.Autofocus = "email" ?><?cs call:page_head("Forgot your password") ?>
<section class="panel form-panel">
  <h1>Forgot your password?</h1>
  <p>Enter the address of your account; we will send it a link to choose a new password.</p>
  <?cs call:form_errors() ?>
  <form method="post" action="/password/forgot" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("email", "E-mail", "email", "username", "") ?>
    <button type="submit">Send the link</button>
  </form>
</section>
<?cs call:page_foot() ?>
