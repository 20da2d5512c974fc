<p>Fixture for test_render: each: closed by /if is a syntax error.</p>
<?cs each:x = List ?><?cs var:x ?><?cs /if ?>
