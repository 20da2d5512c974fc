<?cs include:"layout.cs" ?><?cs include:"forms.cs" ?><?cs set:Page.Nav = "account" ?><?cs call:page_head("Your account") ?>
<h1>Your account</h1>
<?cs call:form_errors() ?>
<section class="panel form-panel" aria-labelledby="profile-h">
  <h2 id="profile-h">Profile</h2>
  <p class="aside"><?cs var:User.Email ?> · <?cs var:User.Role ?></p>
  <form method="post" action="/account" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("display_name", "Name", "text", "name", "") ?>
    <div class="field<?cs if:Form.Error.timezone ?> has-error<?cs /if ?>">
      <label for="f-timezone">Time zone</label>
      <input id="f-timezone" name="timezone" type="text" list="zones" autocomplete="off"
        spellcheck="false" value="<?cs var:Form.Value.timezone ?>"<?cs call:error_attrs("timezone") ?>>
      <datalist id="zones"><?cs each:z = Zones ?><option value="<?cs var:z ?>"></option><?cs /each ?></datalist>
      <p class="hint">Start typing a city, like Paris or New York; case does not matter. Your reports and every time shown to you use it.</p>
      <?cs call:field_error("timezone") ?>
    </div>
    <?cs call:field("target_pace_min", "Target pace (minutes per task)", "text", "off", "Like 5.5 (0.1 to 1440): the pace new task sessions are measured against.") ?>
    <button type="submit">Save the profile</button>
  </form>
</section>
<section class="panel form-panel" aria-labelledby="password-h">
  <h2 id="password-h">Password</h2>
  <form method="post" action="/account/password" novalidate>
    <?cs call:csrf_field() ?>
    <?cs call:field("current_password", "Current password", "password", "current-password", "") ?>
    <?cs call:field("password", "New password", "password", "new-password", "At least 12 characters; not one of your last five. Every other session will be signed out.") ?>
    <?cs call:field("password_confirm", "Repeat the new password", "password", "new-password", "") ?>
    <button type="submit">Change the password</button>
  </form>
</section>
<p><a href="/account/sessions">Where you are signed in</a></p>
<?cs call:page_foot() ?>
