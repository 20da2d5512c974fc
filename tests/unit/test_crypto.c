/* SHA-256, hex, random tokens, constant-time comparison, scrypt passwords. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "password.h"
#include "tap.h"

static int
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void
test_sha256(void)
{
	char out[65];
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	memset(out, 'Z', sizeof(out));
	sha256_hex("abc", 3, out);
	is_str(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "sha256(\"abc\")");
	sha256_hex("", 0, out);
	is_str(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "sha256(\"\")");
	sha256_hex(two_blocks, strlen(two_blocks), out);
	is_str(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
	    "sha256 of the 448-bit test vector");
	sha256_hex("a\0b", 3, out);
	ok(strcmp(out, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb") != 0,
	    "sha256 reads past a NUL byte (length, not C string)");
	is_int(strlen(out), 64, "64 hex characters");
}

static void
test_hex(void)
{
	static const unsigned char bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof(bytes) + 1];
	char one[3];

	memset(out, 'Z', sizeof(out));
	hex_encode(bytes, sizeof(bytes), out);
	is_str(out, "00017f80abff", "hex_encode, lowercase");
	memset(one, 'Z', sizeof(one));
	hex_encode(bytes + 5, 1, one);
	is_str(one, "ff", "one byte");
	hex_encode(bytes, 0, one);
	is_str(one, "", "zero bytes give an empty string");
}

static void
test_random(void)
{
	char a[65], b[65], big[129], none[1];
	unsigned char raw[32], zero[32];

	memset(a, 'Z', sizeof(a));
	is_int(random_token_hex(32, a), 0, "random_token_hex(32)");
	is_int(strlen(a), 64, "  64 characters");
	ok(all_hex(a, 64), "  all lowercase hex");
	is_int(random_token_hex(32, b), 0, "a second token");
	ok(strcmp(a, b) != 0, "  differs from the first");
	is_int(random_token_hex(64, big), 0, "random_token_hex(64), the largest");
	is_int(strlen(big), 128, "  128 characters");
	is_int(random_token_hex(65, big), -1, "random_token_hex(65) is refused");
	is_int(random_token_hex(0, none), 0, "random_token_hex(0)");
	is_str(none, "", "  is empty");

	memset(raw, 0, sizeof(raw));
	memset(zero, 0, sizeof(zero));
	is_int(random_bytes(raw, sizeof(raw)), 0, "random_bytes");
	ok(memcmp(raw, zero, sizeof(raw)) != 0, "  fills the buffer");
	is_int(random_bytes(raw, 0), 0, "random_bytes of 0 bytes");
}

static void
test_ct_streq(void)
{
	ok(ct_streq("secret", "secret"), "equal strings");
	ok(!ct_streq("secret", "secreT"), "last byte differs");
	ok(!ct_streq("secret", "Secret"), "first byte differs");
	ok(!ct_streq("secret", "secret2"), "longer");
	ok(!ct_streq("secret", "secre"), "shorter (a prefix)");
	ok(!ct_streq("", "a"), "empty and not empty");
	ok(!ct_streq("a", ""), "not empty and empty");
	ok(ct_streq("", ""), "two empty strings are equal");
	{
		char a[300], b[300];

		memset(a, 'x', sizeof(a) - 1);
		a[sizeof(a) - 1] = '\0';
		memcpy(b, a, sizeof(b));
		ok(ct_streq(a, b), "long equal strings");
		b[150] = 'y';
		ok(!ct_streq(a, b), "long strings differing in the middle");
	}
}

static void
test_password(void)
{
	char mcf[WT_MCF_LEN], mcf2[WT_MCF_LEN], copy[WT_MCF_LEN], bad[WT_MCF_LEN];
	char empty[WT_MCF_LEN], longmcf[WT_MCF_LEN + 32];

	memset(mcf, 0, sizeof(mcf));
	is_int(password_hash("correct horse battery staple", mcf), 0, "password_hash");
	ok(strncmp(mcf, "$s1$", 4) == 0, "the MCF string starts with $s1$");
	ok(strlen(mcf) < WT_MCF_LEN, "  and fits in WT_MCF_LEN");
	ok(strstr(mcf, "correct horse") == NULL, "  and does not contain the password");
	memcpy(copy, mcf, sizeof(copy));

	is_int(password_verify(mcf, "correct horse battery staple"), 1, "the right password");
	is_str(mcf, copy, "  password_verify left the MCF string alone");
	is_int(password_verify(mcf, "correct horse battery stapl"), 0, "a wrong password");
	is_int(password_verify(mcf, ""), 0, "an empty password");
	is_int(password_verify(mcf, "Correct horse battery staple"), 0, "case matters");
	is_str(mcf, copy, "  the MCF string is still unchanged");

	is_int(password_hash("correct horse battery staple", mcf2), 0, "hashing again");
	ok(strcmp(mcf, mcf2) != 0, "  gives a different string (random salt)");

	is_int(password_hash("", empty), 0, "hashing the empty password");
	is_int(password_verify(empty, ""), 1, "  verifies");
	is_int(password_verify(empty, "x"), 0, "  and rejects another");

	/* Malformed hashes: never a match. */
	ok(password_verify("", "x") != 1, "empty MCF is not a match");
	ok(password_verify("$s1$", "x") != 1, "$s1$ alone is not a match");
	ok(password_verify("$s1$0e0801$", "x") != 1, "MCF without salt and hash");
	ok(password_verify("$2b$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
	    "x") != 1, "a bcrypt string is not a match");
	ok(password_verify("plain text", "plain text") != 1,
	    "a plain-text 'hash' equal to the password is not a match");
	memcpy(bad, mcf, sizeof(bad));
	bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
	is_int(password_verify(bad, "correct horse battery staple"), 0,
	    "a changed hash does not match");
	memset(longmcf, 'a', sizeof(longmcf) - 1);
	longmcf[sizeof(longmcf) - 1] = '\0';
	memcpy(longmcf, "$s1$", 4);
	is_int(password_verify(longmcf, "x"), -1, "an over-long MCF is malformed (-1)");
}

int
main(void)
{
	test_sha256();
	test_hex();
	test_random();
	test_ct_streq();
	test_password();
	return done_testing();
}
