<?cs # Golden fixture for test_render: a list, var:, if:/else, a macro. ?><?cs
def:badge(n) ?><?cs if:n > 1 ?>many<?cs elif:n == 1 ?>one<?cs else ?>none<?cs /if ?><?cs /def ?>
<h1><?cs var:Page.Title ?></h1>
<ul class="people">
<?cs each:p = People ?>  <li id="p-<?cs name:p ?>"><?cs var:p.Name ?> (<?cs var:p.Hours ?> h, <?cs call:badge(p.Hours) ?>)<?cs if:p.Admin ?> [admin]<?cs /if ?></li>
<?cs /each ?></ul>
<?cs if:?Footer.Note ?><p class="note"><?cs var:Footer.Note ?></p><?cs else ?><p class="note">no note</p><?cs /if ?>
<p>Count: <?cs var:subcount(People) ?>, total <?cs var:Total ?>.</p>
<p>Unsafe: <?cs var:Unsafe ?></p>
