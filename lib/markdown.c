/*
 * markdown.c - Markdown notes to sections of rich text (richtext.h).
 *
 * The input is treated as hostile.  It is first copied into a sanitised
 * buffer (valid UTF-8 without control characters, '\n' line ends, no BOM,
 * no YAML front matter), which md4c then parses.  md4c's callbacks drive
 * a small state machine that writes rich-text lines for the section being
 * built; when the next section-starting heading arrives, the finished
 * section is handed to the caller and its buffers are reused.
 *
 * Line layout decisions (the contract for everything that reads the text):
 *  - A section's text is its heading line (none for the preamble) followed
 *    directly by the body: there is no RT_BLANK after the heading line, nor
 *    at the start or end of the body.
 *  - Blocks inside the body are separated by exactly one RT_BLANK line,
 *    except where the innermost container shared by the two blocks is a
 *    tight list (items of a tight list, and the blocks inside one item,
 *    follow each other directly).  Its prefix is empty, or inside a block
 *    quote both blocks share, the shared prefix up to its last '>'.
 *  - A block that produces no line (an HTML block that is empty once its
 *    tags are stripped, an empty paragraph) produces no RT_BLANK either.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "buf.h"
#include "dynload.h"
#include "error.h"
#include "hash.h"
#include "markdown.h"
#include "richtext.h"
#include "spill.h"
#include "utf8.h"

/* md4c extensions we use; raw HTML stays enabled and is stripped here. */
#define MD4C_FLAGS                                                             \
	(MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH |                              \
	 MD_FLAG_PERMISSIVEURLAUTOLINKS | MD_FLAG_PERMISSIVEWWWAUTOLINKS |     \
	 MD_FLAG_TASKLISTS)

#define TITLE_MAX 1024 /* bytes of a section title */
/* Bytes of a heading read for its slug: a longer heading's link still
 * lands (GitHub slugs the whole text), a pathological one costs 64 KiB. */
#define SLUG_SOURCE_MAX       (64 * 1024)
#define PREFIX_CONTAINERS_MAX 32 /* containers shown in a line prefix */
/*
 * Containers whose details (kind, tightness, numbering) are remembered.
 * Deeper ones are only counted: they never show in a prefix anyway, and
 * this keeps the memory for absurd nesting bounded.
 */
#define BOXES_MAX   1024
#define SECTION_MAX ((size_t)1 << 30) /* cap of every per-section buffer */
/* A document's held sections and anchor names: their rich text is
 * about the size of the sanitised input, whose cap this is. */
#define HELD_MAX (3 * MARKDOWN_MAX_SIZE)
/*
 * md4c 0.4.8 reads a byte past the end of the document on some unfinished
 * links ("[a](![" at the very end; found with valgrind), so the sanitised
 * copy is followed by this many initialised newlines, not counted in its
 * length.
 */
#define MD4C_PAD 16
/* Sanitising can triple the size (each bad byte becomes U+FFFD). */
#define SANE_MAX (3 * MARKDOWN_MAX_SIZE + MD4C_PAD)

#define REPLACEMENT     "\xef\xbf\xbd" /* U+FFFD */
#define REPLACEMENT_LEN 3

/* ---- UTF-8 ------------------------------------------------------------- */

/*
 * Decode the UTF-8 sequence at S (N > 0 bytes available).  Returns its
 * length and sets *CP, or returns minus the length of the maximal invalid
 * subpart (at least 1 byte) that should become one U+FFFD.  Overlong
 * forms, surrogates and values above U+10FFFF are invalid.  utf8.h's
 * utf8_decode takes one byte of any invalid sequence instead; the two
 * share the decoding of well-formed short sequences.
 */
static int decode_rest(const unsigned char *s, size_t n, uint32_t *cp);

static inline int
decode_subpart(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k = utf8_decode_short(s, n, cp);

	return k > 0 ? (int)k : decode_rest(s, n, cp);
}

/* decode_subpart for four bytes and anything invalid. */
static int
decode_rest(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return -1;
	if (s[0] < 0xe0) {
		need = 1;
		v = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		need = 2;
		v = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else {
		need = 3;
		v = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return -(int)i;
		v = (v << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return (int)need + 1;
}

/* A byte that may never reach the output as such. */
static int
is_control_byte(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* ---- Character entities ------------------------------------------------ */

struct entity {
	const char *name;
	const char *utf8;
};

/*
 * Named entities we decode (the common ones in notes, not all of HTML's
 * 2,000), sorted by strcmp for bsearch.  Unknown names stay literal.
 */
/* clang-format off */
static const struct entity entities[] = {
	{"AElig", "\xc3\x86"}, {"Aacute", "\xc3\x81"},
	{"Acirc", "\xc3\x82"}, {"Agrave", "\xc3\x80"},
	{"Alpha", "\xce\x91"}, {"Aring", "\xc3\x85"},
	{"Atilde", "\xc3\x83"}, {"Auml", "\xc3\x84"},
	{"Beta", "\xce\x92"}, {"Ccedil", "\xc3\x87"},
	{"Chi", "\xce\xa7"}, {"Dagger", "\xe2\x80\xa1"},
	{"Delta", "\xce\x94"}, {"ETH", "\xc3\x90"},
	{"Eacute", "\xc3\x89"}, {"Ecirc", "\xc3\x8a"},
	{"Egrave", "\xc3\x88"}, {"Epsilon", "\xce\x95"},
	{"Eta", "\xce\x97"}, {"Euml", "\xc3\x8b"},
	{"Gamma", "\xce\x93"}, {"Hat", "^"},
	{"Iacute", "\xc3\x8d"}, {"Icirc", "\xc3\x8e"},
	{"Igrave", "\xc3\x8c"}, {"Iota", "\xce\x99"},
	{"Iuml", "\xc3\x8f"}, {"Kappa", "\xce\x9a"},
	{"Lambda", "\xce\x9b"}, {"Mu", "\xce\x9c"},
	{"Ntilde", "\xc3\x91"}, {"Nu", "\xce\x9d"},
	{"OElig", "\xc5\x92"}, {"Oacute", "\xc3\x93"},
	{"Ocirc", "\xc3\x94"}, {"Ograve", "\xc3\x92"},
	{"Omega", "\xce\xa9"}, {"Omicron", "\xce\x9f"},
	{"Oslash", "\xc3\x98"}, {"Otilde", "\xc3\x95"},
	{"Ouml", "\xc3\x96"}, {"Phi", "\xce\xa6"},
	{"Pi", "\xce\xa0"}, {"Prime", "\xe2\x80\xb3"},
	{"Psi", "\xce\xa8"}, {"Rho", "\xce\xa1"},
	{"Scaron", "\xc5\xa0"}, {"Sigma", "\xce\xa3"},
	{"THORN", "\xc3\x9e"}, {"Tau", "\xce\xa4"},
	{"Theta", "\xce\x98"}, {"Uacute", "\xc3\x9a"},
	{"Ucirc", "\xc3\x9b"}, {"Ugrave", "\xc3\x99"},
	{"Upsilon", "\xce\xa5"}, {"Uuml", "\xc3\x9c"},
	{"Xi", "\xce\x9e"}, {"Yacute", "\xc3\x9d"},
	{"Yuml", "\xc5\xb8"}, {"Zeta", "\xce\x96"},
	{"aacute", "\xc3\xa1"}, {"acirc", "\xc3\xa2"},
	{"acute", "\xc2\xb4"}, {"aelig", "\xc3\xa6"},
	{"agrave", "\xc3\xa0"}, {"alpha", "\xce\xb1"},
	{"amp", "&"}, {"and", "\xe2\x88\xa7"},
	{"ang", "\xe2\x88\xa0"}, {"apos", "'"},
	{"aring", "\xc3\xa5"}, {"ast", "*"},
	{"asymp", "\xe2\x89\x88"}, {"atilde", "\xc3\xa3"},
	{"auml", "\xc3\xa4"}, {"bdquo", "\xe2\x80\x9e"},
	{"beta", "\xce\xb2"}, {"brvbar", "\xc2\xa6"},
	{"bsol", "\x5c"}, {"bull", "\xe2\x80\xa2"},
	{"cap", "\xe2\x88\xa9"}, {"ccedil", "\xc3\xa7"},
	{"cedil", "\xc2\xb8"}, {"cent", "\xc2\xa2"},
	{"check", "\xe2\x9c\x93"}, {"chi", "\xcf\x87"},
	{"circ", "\xcb\x86"}, {"clubs", "\xe2\x99\xa3"},
	{"colon", ":"}, {"comma", ","},
	{"commat", "@"}, {"copy", "\xc2\xa9"},
	{"crarr", "\xe2\x86\xb5"}, {"cross", "\xe2\x9c\x97"},
	{"cup", "\xe2\x88\xaa"}, {"curren", "\xc2\xa4"},
	{"dArr", "\xe2\x87\x93"}, {"dagger", "\xe2\x80\xa0"},
	{"darr", "\xe2\x86\x93"}, {"deg", "\xc2\xb0"},
	{"delta", "\xce\xb4"}, {"diams", "\xe2\x99\xa6"},
	{"divide", "\xc3\xb7"}, {"dollar", "$"},
	{"eacute", "\xc3\xa9"}, {"ecirc", "\xc3\xaa"},
	{"egrave", "\xc3\xa8"}, {"empty", "\xe2\x88\x85"},
	{"emsp", "\xe2\x80\x83"}, {"ensp", "\xe2\x80\x82"},
	{"epsilon", "\xce\xb5"}, {"equals", "="},
	{"equiv", "\xe2\x89\xa1"}, {"eta", "\xce\xb7"},
	{"eth", "\xc3\xb0"}, {"euml", "\xc3\xab"},
	{"euro", "\xe2\x82\xac"}, {"excl", "!"},
	{"exist", "\xe2\x88\x83"}, {"fnof", "\xc6\x92"},
	{"forall", "\xe2\x88\x80"}, {"frac12", "\xc2\xbd"},
	{"frac14", "\xc2\xbc"}, {"frac34", "\xc2\xbe"},
	{"frasl", "\xe2\x81\x84"}, {"gamma", "\xce\xb3"},
	{"ge", "\xe2\x89\xa5"}, {"grave", "`"},
	{"gt", ">"}, {"hArr", "\xe2\x87\x94"},
	{"harr", "\xe2\x86\x94"}, {"hearts", "\xe2\x99\xa5"},
	{"hellip", "\xe2\x80\xa6"}, {"hyphen", "\xe2\x80\x90"},
	{"iacute", "\xc3\xad"}, {"icirc", "\xc3\xae"},
	{"iexcl", "\xc2\xa1"}, {"igrave", "\xc3\xac"},
	{"infin", "\xe2\x88\x9e"}, {"iota", "\xce\xb9"},
	{"iquest", "\xc2\xbf"}, {"isin", "\xe2\x88\x88"},
	{"iuml", "\xc3\xaf"}, {"kappa", "\xce\xba"},
	{"lArr", "\xe2\x87\x90"}, {"lambda", "\xce\xbb"},
	{"lang", "\xe2\x9f\xa8"}, {"laquo", "\xc2\xab"},
	{"larr", "\xe2\x86\x90"}, {"lceil", "\xe2\x8c\x88"},
	{"lcub", "{"}, {"ldquo", "\xe2\x80\x9c"},
	{"le", "\xe2\x89\xa4"}, {"lfloor", "\xe2\x8c\x8a"},
	{"lowast", "\xe2\x88\x97"}, {"lowbar", "_"},
	{"loz", "\xe2\x97\x8a"}, {"lpar", "("},
	{"lrm", "\xe2\x80\x8e"}, {"lsqb", "["},
	{"lsquo", "\xe2\x80\x98"}, {"lt", "<"},
	{"macr", "\xc2\xaf"}, {"mdash", "\xe2\x80\x94"},
	{"micro", "\xc2\xb5"}, {"middot", "\xc2\xb7"},
	{"minus", "\xe2\x88\x92"}, {"mu", "\xce\xbc"},
	{"nabla", "\xe2\x88\x87"}, {"nbsp", "\xc2\xa0"},
	{"ndash", "\xe2\x80\x93"}, {"ne", "\xe2\x89\xa0"},
	{"not", "\xc2\xac"}, {"notin", "\xe2\x88\x89"},
	{"ntilde", "\xc3\xb1"}, {"nu", "\xce\xbd"},
	{"num", "#"}, {"oacute", "\xc3\xb3"},
	{"ocirc", "\xc3\xb4"}, {"oelig", "\xc5\x93"},
	{"ograve", "\xc3\xb2"}, {"oline", "\xe2\x80\xbe"},
	{"omega", "\xcf\x89"}, {"omicron", "\xce\xbf"},
	{"oplus", "\xe2\x8a\x95"}, {"or", "\xe2\x88\xa8"},
	{"ordf", "\xc2\xaa"}, {"ordm", "\xc2\xba"},
	{"oslash", "\xc3\xb8"}, {"otilde", "\xc3\xb5"},
	{"otimes", "\xe2\x8a\x97"}, {"ouml", "\xc3\xb6"},
	{"para", "\xc2\xb6"}, {"part", "\xe2\x88\x82"},
	{"percnt", "%"}, {"period", "."},
	{"permil", "\xe2\x80\xb0"}, {"perp", "\xe2\x8a\xa5"},
	{"phi", "\xcf\x86"}, {"pi", "\xcf\x80"},
	{"plus", "+"}, {"plusmn", "\xc2\xb1"},
	{"pound", "\xc2\xa3"}, {"prime", "\xe2\x80\xb2"},
	{"prod", "\xe2\x88\x8f"}, {"prop", "\xe2\x88\x9d"},
	{"psi", "\xcf\x88"}, {"quest", "?"},
	{"quot", "\""}, {"rArr", "\xe2\x87\x92"},
	{"radic", "\xe2\x88\x9a"}, {"rang", "\xe2\x9f\xa9"},
	{"raquo", "\xc2\xbb"}, {"rarr", "\xe2\x86\x92"},
	{"rceil", "\xe2\x8c\x89"}, {"rcub", "}"},
	{"rdquo", "\xe2\x80\x9d"}, {"reg", "\xc2\xae"},
	{"rfloor", "\xe2\x8c\x8b"}, {"rho", "\xcf\x81"},
	{"rlm", "\xe2\x80\x8f"}, {"rpar", ")"},
	{"rsqb", "]"}, {"rsquo", "\xe2\x80\x99"},
	{"sbquo", "\xe2\x80\x9a"}, {"scaron", "\xc5\xa1"},
	{"sdot", "\xe2\x8b\x85"}, {"sect", "\xc2\xa7"},
	{"semi", ";"}, {"shy", "\xc2\xad"},
	{"sigma", "\xcf\x83"}, {"sigmaf", "\xcf\x82"},
	{"sim", "\xe2\x88\xbc"}, {"sol", "/"},
	{"spades", "\xe2\x99\xa0"}, {"star", "\xe2\x98\x86"},
	{"starf", "\xe2\x98\x85"}, {"sub", "\xe2\x8a\x82"},
	{"sube", "\xe2\x8a\x86"}, {"sum", "\xe2\x88\x91"},
	{"sup", "\xe2\x8a\x83"}, {"sup1", "\xc2\xb9"},
	{"sup2", "\xc2\xb2"}, {"sup3", "\xc2\xb3"},
	{"supe", "\xe2\x8a\x87"}, {"szlig", "\xc3\x9f"},
	{"tau", "\xcf\x84"}, {"there4", "\xe2\x88\xb4"},
	{"theta", "\xce\xb8"}, {"thinsp", "\xe2\x80\x89"},
	{"thorn", "\xc3\xbe"}, {"tilde", "\xcb\x9c"},
	{"times", "\xc3\x97"}, {"trade", "\xe2\x84\xa2"},
	{"uArr", "\xe2\x87\x91"}, {"uacute", "\xc3\xba"},
	{"uarr", "\xe2\x86\x91"}, {"ucirc", "\xc3\xbb"},
	{"ugrave", "\xc3\xb9"}, {"uml", "\xc2\xa8"},
	{"upsilon", "\xcf\x85"}, {"uuml", "\xc3\xbc"},
	{"verbar", "|"}, {"xi", "\xce\xbe"},
	{"yacute", "\xc3\xbd"}, {"yen", "\xc2\xa5"},
	{"yuml", "\xc3\xbf"}, {"zeta", "\xce\xb6"},
	{"zwj", "\xe2\x80\x8d"}, {"zwnj", "\xe2\x80\x8c"},
};
/* clang-format on */

struct name_key {
	const char *s;
	size_t len;
};

static int
entity_compare(const void *key, const void *elem)
{
	const struct name_key *k = key;
	const struct entity *e = elem;
	size_t elen = strlen(e->name);
	int c = memcmp(k->s, e->name, k->len < elen ? k->len : elen);

	if (c != 0)
		return c;
	return k->len < elen ? -1 : k->len > elen;
}

/*
 * What a numeric character reference stands for: NUL, surrogates,
 * out-of-range values and control characters become U+FFFD (a tab, a
 * newline or a line or paragraph separator becomes a space: none may
 * break a rich-text line).
 */
static size_t
codepoint_to_text(unsigned long cp, char *out)
{
	if (cp == '\t' || cp == '\n' || cp == 0x2028 || cp == 0x2029)
		cp = ' ';
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
		memcpy(out, REPLACEMENT, REPLACEMENT_LEN);
		return REPLACEMENT_LEN;
	}
	return utf8_encode((uint32_t)cp, out);
}

/* "&#123;" or "&#x7B;" (S/N without '&' and ';'). */
static size_t
numeric_entity_decode(const char *s, size_t n, char *out)
{
	unsigned long cp = 0;
	int hex = n > 1 && (s[1] == 'x' || s[1] == 'X');
	size_t i = hex ? 2 : 1;
	int digit;

	if (i >= n || n - i > 8)
		return 0;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			return 0;
		cp = cp * (hex ? 16 : 10) + (unsigned long)digit;
	}
	return codepoint_to_text(cp, out);
}

/*
 * Decode the entity S/N ("&amp;", "&#38;", "&#x26;") into OUT (at least
 * 4 bytes).  Returns the decoded length, or 0 when S is not an entity we
 * know, in which case it should stay literal.
 */
static size_t
entity_decode(const char *s, size_t n, char *out)
{
	struct name_key key;
	const struct entity *e;
	size_t len;

	if (n < 3 || s[0] != '&' || s[n - 1] != ';')
		return 0;
	if (s[1] == '#')
		return numeric_entity_decode(s + 1, n - 2, out);
	key.s = s + 1;
	key.len = n - 2;
	e = bsearch(&key, entities, sizeof(entities) / sizeof(entities[0]),
	            sizeof(entities[0]), entity_compare);
	if (e == NULL)
		return 0;
	len = strlen(e->utf8);
	memcpy(out, e->utf8, len);
	return len;
}

/* ---- Slugs ------------------------------------------------------------- */

/* Latin Extended-A (U+0100-U+017F): mostly upper/lower pairs. */
static uint32_t
latin_extended_a_lower(uint32_t c)
{
	if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17f)
		return c; /* already lower case, or caseless */
	if (c == 0x178)
		return 0xff; /* Y with diaeresis */
	if (c <= 0x137 || (c >= 0x14a && c <= 0x177))
		return c | 1; /* even code points are the capitals */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (c & 1) ? c + 1 : c; /* odd ones are */
	return c;
}

static uint32_t
greek_lower(uint32_t c)
{
	if (c >= 0x391 && c <= 0x3ab && c != 0x3a2)
		return c + 0x20;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 0x25;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 0x3f;
	if (c >= 0x3d8 && c <= 0x3ef)
		return c | 1;
	return c;
}

static uint32_t
cyrillic_lower(uint32_t c)
{
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;
	if (c == 0x4c0)
		return 0x4cf;
	if (c >= 0x4c1 && c <= 0x4ce)
		return (c & 1) ? c + 1 : c;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) ||
	    (c >= 0x4d0 && c <= 0x52f))
		return c | 1;
	return c;
}

/*
 * Lower-case the letters of the scripts notes are commonly written in
 * (Latin, Greek, Cyrillic, Armenian, full-width Latin); other characters
 * are returned unchanged.  U+0130 and the final sigma are handled by the
 * caller because they depend on more than one code point.
 */
static uint32_t
unicode_lower(uint32_t c)
{
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	if (c >= 0x100 && c <= 0x17f)
		return latin_extended_a_lower(c);
	if (c >= 0x370 && c <= 0x3ff)
		return greek_lower(c);
	if (c >= 0x400 && c <= 0x52f)
		return cyrillic_lower(c);
	if (c >= 0x531 && c <= 0x556)
		return c + 0x30;
	if (c == 0x1e9e)
		return 0xdf; /* capital sharp s */
	if (c >= 0x1e00 && c <= 0x1eff && !(c >= 0x1e96 && c <= 0x1e9f))
		return c | 1; /* Latin Extended Additional (Vietnamese) */
	if (c >= 0xff21 && c <= 0xff3a)
		return c + 0x20;
	return c;
}

/* Latin-1 characters that are letters or numbers, not symbols. */
static int
latin1_is_alnum(uint32_t c)
{
	return c == 0xaa || c == 0xb2 || c == 0xb3 || c == 0xb5 || c == 0xb9 ||
	       c == 0xba || (c >= 0xbc && c <= 0xbe);
}

/*
 * Non-ASCII characters GitHub's slugger removes: punctuation, symbols,
 * spaces, emoji and invisible formatting characters of the common blocks.
 * Everything else (letters, digits, marks of any script) is kept.
 */
static int
slug_drops(uint32_t c)
{
	if (c >= 0x80 && c <= 0xbf)
		return !latin1_is_alnum(c);
	if (c == 0xd7 || c == 0xf7)
		return 1;
	if (c >= 0x2000 && c <= 0x206f) /* general punctuation */
		return 1;
	if (c >= 0x20a0 && c <= 0x20cf) /* currency */
		return 1;
	if (c == 0x2116 || c == 0x2117 || c == 0x2120 || c == 0x2122)
		return 1;
	if (c >= 0x2190 && c <= 0x23ff) /* arrows, maths, technical */
		return 1;
	if (c >= 0x2500 && c <= 0x2bff) /* shapes, dingbats, arrows */
		return 1;
	if (c >= 0x2e00 && c <= 0x2e7f) /* supplemental punctuation */
		return 1;
	if ((c >= 0x3000 && c <= 0x3004) || (c >= 0x3008 && c <= 0x3020) ||
	    c == 0x3030 || (c >= 0x303d && c <= 0x303f))
		return 1; /* CJK punctuation */
	if ((c >= 0xfe00 && c <= 0xfe1f) || (c >= 0xfe30 && c <= 0xfe6f) ||
	    c == 0xfeff || c == 0xfffd)
		return 1;
	if ((c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) ||
	    (c >= 0xff3b && c <= 0xff40 && c != 0xff3f) ||
	    (c >= 0xff5b && c <= 0xff65))
		return 1;                 /* full-width punctuation */
	if (c >= 0x1f000 && c <= 0x1faff) /* emoji */
		return 1;
	return c >= 0xe0000 && c <= 0xe007f; /* tag characters */
}

/* Whether S/N starts with a letter (for the final-sigma rule). */
static int
starts_with_letter(const char *s, size_t n)
{
	uint32_t cp;

	if (n == 0 || decode_subpart((const unsigned char *)s, n, &cp) <= 0)
		return 0;
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	return !slug_drops(cp);
}

/* Append the slug form of ASCII character C; returns whether it is a letter. */
static awn_status
slug_ascii(struct buf *out, unsigned char c, int *letter)
{
	*letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
	if (*letter)
		return buf_addc(out, c | 0x20);
	if ((c >= '0' && c <= '9') || c == '-' || c == '_')
		return buf_addc(out, c);
	if (c == ' ')
		return buf_addc(out, '-');
	return AWN_OK;
}

/* Append the slug form of non-ASCII CP; NEXT/N is the rest of the title. */
static awn_status
slug_other(struct buf *out, uint32_t cp, int after_letter, const char *next,
           size_t n, int *letter)
{
	char enc[4];

	*letter = 0;
	if (slug_drops(cp))
		return AWN_OK;
	*letter = 1;
	if (cp == 0x130) /* dotted capital I: 'i' + combining dot above */
		return buf_add(out, "i\xcc\x87", 3);
	if (cp == 0x3a3) /* capital sigma: final form at the end of a word */
		cp = after_letter && !starts_with_letter(next, n) ? 0x3c2
		                                                  : 0x3c3;
	else
		cp = unicode_lower(cp);
	return buf_add(out, enc, utf8_encode(cp, enc));
}

awn_status
markdown_slug(const char *title, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)title;
	int after_letter = 0, letter;
	awn_status st = AWN_OK;
	size_t i = 0;
	uint32_t cp;
	int n;

	while (i < len && st == AWN_OK) {
		n = decode_subpart(s + i, len - i, &cp);
		if (n < 0) { /* invalid bytes carry no meaning: drop them */
			i += (size_t)-n;
			after_letter = 0;
			continue;
		}
		i += (size_t)n;
		if (cp < 0x80)
			st = slug_ascii(out, (unsigned char)cp, &letter);
		else
			st = slug_other(out, cp, after_letter, title + i,
			                len - i, &letter);
		after_letter = letter;
	}
	return st;
}

/* ---- Sanitising the input ---------------------------------------------- */

/*
 * Find the end of the line that starts at I: returns the offset of its
 * terminator (or LEN) and sets *NEXT to the start of the following line.
 * "\r\n", "\r" and "\n" all end lines.
 */
static size_t
line_end(const char *s, size_t len, size_t i, size_t *next)
{
	size_t e = i;

	while (e < len && s[e] != '\n' && s[e] != '\r')
		e++;
	*next = e;
	if (e < len) {
		*next = e + 1;
		if (s[e] == '\r' && e + 1 < len && s[e + 1] == '\n')
			*next = e + 2;
	}
	return e;
}

static int
line_is(const char *s, size_t start, size_t end, const char *want)
{
	return end - start == strlen(want) &&
	       memcmp(s + start, want, end - start) == 0;
}

/*
 * Bytes of front matter at the start of S: YAML, a first line "---" up to
 * and including the next line "---" or "..."; or TOML (Hugo, Zola), a
 * first line "+++" up to the next "+++".  0 when there is none or it is
 * not closed (then the text is ordinary Markdown).
 */
static size_t
front_matter_len(const char *s, size_t len)
{
	size_t e, i, next;
	int toml;

	e = line_end(s, len, 0, &next);
	toml = line_is(s, 0, e, "+++");
	if ((!toml && !line_is(s, 0, e, "---")) || next == e)
		return 0;
	for (i = next; i < len; i = next) {
		e = line_end(s, len, i, &next);
		if (toml ? line_is(s, i, e, "+++")
		         : line_is(s, i, e, "---") || line_is(s, i, e, "..."))
			return next;
	}
	return 0;
}

/*
 * Whether the byte at S (N available) can be copied as is; if not, *SKIP
 * is set to the number of bytes to replace with one U+FFFD.
 */
static int
byte_is_clean(const unsigned char *s, size_t n, size_t *skip)
{
	uint32_t cp;
	int len;

	if (s[0] < 0x80) {
		*skip = 1;
		return !is_control_byte(s[0]) || s[0] == '\t' || s[0] == '\n';
	}
	len = decode_subpart(s, n, &cp);
	if (len < 0) {
		*skip = (size_t)-len;
		return 0;
	}
	*skip = (size_t)len;
	/* C1 controls are valid UTF-8 but some terminals obey them; the
	 * line and paragraph separators become spaces (sanitize). */
	return cp > 0x9f && cp != 0x2028 && cp != 0x2029;
}

/* Whether S (3 bytes available) is U+2028 or U+2029. */
static int
is_line_separator(const unsigned char *s)
{
	return s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9);
}

/*
 * Offset of the first byte from I on that is not clean, or LEN; *SKIP as
 * byte_is_clean sets it.  Words of printable ASCII are passed 16 bytes
 * at a time, and from any other word the scan goes straight to the first
 * byte richtext_look_mask flags (a tab or a newline, mostly).
 */
static size_t
clean_end(const unsigned char *s, size_t len, size_t i, size_t *skip)
{
	uint64_t lo, hi;

	while (i < len) {
		if (len - i >= 16) {
			lo = richtext_look_mask(richtext_load8(s + i));
			hi = richtext_look_mask(richtext_load8(s + i + 8));
			if ((lo | hi) == 0) {
				i += 16;
				continue;
			}
			/* The lowest bit of a word's mask is a true one. */
			i += lo ? (size_t)__builtin_ctzll(lo) / 8
			        : 8 + (size_t)__builtin_ctzll(hi) / 8;
		} else if (len - i >= 8) {
			lo = richtext_look_mask(richtext_load8(s + i));
			if (lo == 0) {
				i += 8;
				continue;
			}
			i += (size_t)__builtin_ctzll(lo) / 8;
		}
		if (!byte_is_clean(s + i, len - i, skip))
			return i;
		i += *skip;
	}
	return len;
}

/*
 * Copy DATA/LEN into OUT as md4c should see it: no BOM, no front matter,
 * '\n' line ends, valid UTF-8 without control characters or line and
 * paragraph separators (U+2028, U+2029: spaces); then the MD4C_PAD bytes
 * past the end.  *FM_LINES: the lines of front matter left out (each
 * line end of OUT is one of DATA, so lines are counted in OUT after).
 */
static awn_status
sanitize(const char *data, size_t len, struct buf *out, uint32_t *fm_lines)
{
	const unsigned char *s;
	size_t i, run, skip = 0, fm;
	awn_status st;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	fm = front_matter_len(data, len);
	/* Its lines, so that headings keep their line in the file. */
	for (*fm_lines = 0, i = 0; i < fm; (*fm_lines)++)
		(void)line_end(data, fm, i, &i);
	data += fm;
	len -= fm;
	s = (const unsigned char *)data;
	if ((st = buf_reserve(out, len)) != AWN_OK)
		return st;
	for (i = run = 0; i < len; run = i) {
		i = clean_end(s, len, i, &skip);
		if ((st = buf_add(out, s + run, i - run)) != AWN_OK)
			return st;
		if (i == len)
			break;
		if (s[i] == '\r') {
			st = buf_addc(out, '\n');
			i += i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
		} else if (skip == 3 && is_line_separator(s + i)) {
			/* Pasted into prose where a space was meant; shown,
			 * they would be U+FFFD inside a word. */
			st = buf_addc(out, ' ');
			i += skip;
		} else {
			st = buf_add(out, REPLACEMENT, REPLACEMENT_LEN);
			i += skip;
		}
		if (st != AWN_OK)
			return st;
	}
	if ((st = buf_reserve(out, MD4C_PAD)) != AWN_OK)
		return st;
	memset(out->data + out->len, '\n', MD4C_PAD);
	return AWN_OK;
}

/*
 * md4c 0.4.8 finds the line of each link (inline, reference or image) by
 * walking its paragraph's lines from the first, so a paragraph of n lines
 * that each hold one costs n * n / 2 steps: 100,000 such lines took 4.6 s,
 * a million would take minutes (upstream's mity/md4c#280).  Where the
 * lines so walked in one run of non-blank lines would pass SPLIT_COST, a
 * blank line goes in after the line: the paragraph ends there and md4c's
 * work stays linear.  Lines with a '|' add nothing (md4c reads a table row
 * a cell at a time), nor does a file too small for the walk to matter.
 * Only absurd input changes: a paragraph of links ~1,000 lines long.
 */
#define SPLIT_COST  ((uint64_t)1 << 19)
#define SPLIT_BYTES ((size_t)64 << 10)

/* Is the line P/N blank (spaces and tabs only)? */
static int
blank_line(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	return n == 0;
}

/* ... and AT (emptied first) gets the offsets (size_t, ascending) of
 * the line feeds put in, as they end up in SRC: lines of the file are
 * counted without them (md_section.line). */
static awn_status
split_link_runs(struct buf *src, struct buf *at)
{
	const char *d = src->data, *p = d, *end = d + src->len, *nl;
	uint64_t cost = 0, run = 0;
	size_t i, k, tail, pos;
	awn_status st = AWN_OK;

	buf_reset(at);
	if (src->len < SPLIT_BYTES)
		return AWN_OK;
	for (; p < end && st == AWN_OK; p = nl + 1) {
		size_t n;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (blank_line(p, n)) {
			run = cost = 0;
			continue;
		}
		run++;
		if (memchr(p, ']', n) == NULL || memchr(p, '|', n) != NULL)
			continue;
		if ((cost += run) > SPLIT_COST && nl < end) {
			pos = (size_t)(nl + 1 - d);
			st = buf_add(at, &pos, sizeof(pos));
			run = cost = 0;
		}
	}
	k = at->len / sizeof(size_t);
	if (st == AWN_OK && k > 0 &&
	    (st = buf_reserve(src, k + MD4C_PAD)) == AWN_OK) {
		/* From the last, move each stretch right by the blank lines
		 * before it. */
		char *w = src->data;
		for (tail = src->len, i = k; i-- > 0; tail = pos) {
			memcpy(&pos, at->data + i * sizeof(size_t),
			       sizeof(pos));
			size_t now = pos + i; /* where the line feed lies */
			memmove(w + pos + i + 1, w + pos, tail - pos);
			w[now] = '\n';
			memcpy(at->data + i * sizeof(size_t), &now,
			       sizeof(now));
		}
		src->len += k;
		memset(w + src->len, '\n', MD4C_PAD);
	} else {
		buf_reset(at); /* none put in */
	}
	/* Past the size cap: parsed as it is, slowly. */
	return st == AWN_ERR_LIMIT ? AWN_OK : st;
}

/* ---- Anchors already used in the document ------------------------------ */

struct slug_slot {
	size_t off; /* key bytes in slug_set.keys */
	size_t len;
	unsigned long uses; /* suffixes handed out for this slug */
	int used;
};

/* Open-addressing hash set of the anchors given out so far. */
struct slug_set {
	struct slug_slot *slot;
	size_t size; /* a power of two, or 0 */
	size_t count;
	struct buf keys;
};

static size_t
slug_hash(const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);

	return (size_t)(h ^ (h >> 32));
}

/* Slot holding KEY/N, or the empty slot where it would go. */
static struct slug_slot *
slug_probe(const struct slug_set *set, const char *key, size_t n)
{
	size_t i = slug_hash(key, n) & (set->size - 1);
	struct slug_slot *s;

	for (;; i = (i + 1) & (set->size - 1)) {
		s = &set->slot[i];
		if (!s->used || (s->len == n &&
		                 memcmp(set->keys.data + s->off, key, n) == 0))
			return s;
	}
}

static struct slug_slot *
slug_find(const struct slug_set *set, const char *key, size_t n)
{
	struct slug_slot *s;

	if (set->size == 0)
		return NULL;
	s = slug_probe(set, key, n);
	return s->used ? s : NULL;
}

static awn_status
slug_grow(struct slug_set *set)
{
	struct slug_set bigger = *set;
	struct slug_slot *s;
	size_t i;

	bigger.size = set->size ? set->size * 2 : 64;
	bigger.slot = alloc_calloc(bigger.size, sizeof(*bigger.slot));
	if (bigger.slot == NULL)
		return AWN_ERR_NOMEM;
	for (i = 0; i < set->size; i++) {
		if (!set->slot[i].used)
			continue;
		s = slug_probe(&bigger, set->keys.data + set->slot[i].off,
		               set->slot[i].len);
		*s = set->slot[i];
	}
	alloc_free(set->slot);
	*set = bigger;
	return AWN_OK;
}

/* Record KEY/N (not yet in SET) as used. */
static awn_status
slug_add(struct slug_set *set, const char *key, size_t n)
{
	struct slug_slot *s;
	awn_status st;

	if ((set->count + 1) * 2 > set->size && (st = slug_grow(set)) != AWN_OK)
		return st;
	s = slug_probe(set, key, n);
	s->off = set->keys.len;
	if ((st = buf_add(&set->keys, key, n)) != AWN_OK)
		return st;
	s->len = n;
	s->uses = 0;
	s->used = 1;
	set->count++;
	return AWN_OK;
}

/*
 * Make the slug in ANCHOR unique the way GitHub does: the first "foo"
 * stays, later ones become "foo-1", "foo-2"... skipping any suffixed form
 * that is itself already taken.  An empty slug stays empty.
 */
static awn_status
slug_make_unique(struct slug_set *set, struct buf *anchor)
{
	size_t base = anchor->len;
	struct slug_slot *s;
	unsigned long n;
	awn_status st;

	if (base == 0)
		return AWN_OK;
	s = slug_find(set, anchor->data, base);
	while (s != NULL) {
		n = ++s->uses;
		anchor->len = base;
		if ((st = buf_printf(anchor, "-%lu", n)) != AWN_OK)
			return st;
		if (slug_find(set, anchor->data, anchor->len) == NULL)
			break;
	}
	return slug_add(set, anchor->data, anchor->len);
}

static void
slug_set_free(struct slug_set *set)
{
	alloc_free(set->slot);
	buf_free(&set->keys);
}

/* ---- Reader state ------------------------------------------------------ */

enum box_kind { BOX_QUOTE, BOX_LIST, BOX_ITEM };

/* An open container block: a block quote, a list or a list item. */
struct box {
	unsigned char kind;
	unsigned char tight;     /* lists and items: a tight list */
	unsigned char ordered;   /* lists */
	unsigned char mark_len;  /* items */
	char delim;              /* lists: bullet char, or '.' / ')' */
	char mark[31];           /* items: "- ", "12. [x] " */
	unsigned long long next; /* ordered lists: number of the next item */
	unsigned long long lines_at_enter; /* items, quotes: lines on entry */
};

enum {
	LEAF_ONE_LINE = 1, /* breaks become spaces (headings, table rows) */
	LEAF_COLLAPSE = 2, /* whitespace runs collapse, ends are trimmed */
	LEAF_STRONG = 4,   /* content wrapped in RT_STRONG_ON/OFF */
};

/*
 * The block whose lines are being written (a "leaf": paragraph, heading,
 * code block, table, rule, HTML block, or the bare text of a tight list
 * item, which md4c reports without a paragraph).
 */
struct leaf {
	int open;
	int implicit;  /* tight list item text: ends at the next block event */
	int has_lines; /* a line has been started */
	int line_open;
	char next_kind;       /* kind of the next line started */
	unsigned flags;       /* LEAF_* */
	int space_pending;    /* a space waits for more text (LEAF_COLLAPSE,
	                       * an inline block tag in a table row) */
	int line_has_text;    /* LEAF_COLLAPSE: the line has visible text */
	int skip_spaces;      /* after <br>: drop spaces before the next text */
	size_t content_start; /* offset in the text of the line's content */
};

/* Lines of the sanitised input, counted forward: AT is the line of its
 * byte POS, which only moves on; of split_link_runs' line feeds (not
 * the file's, so not counted), SPLIT_PAST lie before POS. */
struct line_count {
	size_t pos;
	uint32_t at;
	size_t split_past;
};

struct reader {
	md_section_fn fn;
	void *ctx;
	awn_status status;   /* first failure */
	int callback_failed; /* STATUS came from FN */

	struct buf src; /* the sanitised input */

	/* Heading lines (md_section.line); TEXT_END is where the last
	 * text md4c gave ends, for headings that have none. */
	struct line_count heading;
	int located;      /* a heading's line is known: HEADING.POS is on it */
	struct buf split; /* split_link_runs' line feeds, not the file's */
	const char *text_end;
	uint32_t line; /* of the section being built; 0: not known yet */

	/* The line of each line of the text (md_section.lines), when
	 * asked for: a uint32_t a line, 0 until known.  A line takes the
	 * line of the first text of the input it is given; lines from
	 * MAP_FROM on have had none yet. */
	int map_on;
	struct buf map;
	size_t map_from;
	struct line_count map_count; /* the lines of the texts */
	uint32_t map_last;           /* the input's last line */
	const char *map_end;         /* the end of the last such text */
	int map_blank;               /* a blank line waits at MAP_FROM */
	uint32_t html_line;          /* the HTML block's first line */

	/* The section being built (level 0: the preamble). */
	unsigned level;
	int visible; /* body has non-blank text */
	struct buf title;
	int title_space; /* a space waits before the next title byte */
	struct buf anchor;
	struct buf text;
	struct slug_set slugs;

	struct box *box; /* the first BOXES_MAX open containers */
	size_t box_cap;
	size_t depth; /* open containers, including unrecorded ones */

	unsigned long long lines; /* non-blank lines written so far */
	int blank_wanted;    /* a block with lines ended since the last line */
	size_t shared_depth; /* containers open ever since it ended */

	struct leaf leaf;
	int in_title; /* inside a heading that starts a section */
	int in_code;
	int in_html;
	int in_thead;
	int in_table;    /* inside a table: a code span's \| is a | */
	unsigned cells;  /* cells so far in the table row */
	unsigned links;  /* open links and images (only the outer one shows) */
	struct buf html; /* raw text of the current HTML block */

	/* A document with "<a " holds its sections to its end, for the
	 * names its <a name> tags give (see "Named anchors"). */
	int holding;
	int html_cont;   /* the next inline HTML is the rest of a line's */
	struct buf held; /* their titles and anchors (NUL-ended) */
	struct buf held_index; /* struct held_section, in document order */
	struct buf names;      /* the names' bytes */
	struct buf name_index; /* struct html_name, in document order */
	struct buf name_order; /* the same, when name_index is sorted */
	struct buf sec_names;  /* struct md_name, a held section's */
	/* Their texts and their lines' lines (MAP_ON): a whole document's,
	 * moved to a file in SPILL_DIR past SPILL_MEMORY bytes, so that a
	 * huge file is not held twice (markdown_reader_set_spill). */
	struct spill held_body;
	const char *spill_dir;
	size_t spill_memory;
	struct buf body_text, body_map; /* one read back from that file */
	awn_error *err;                 /* the file's failures are told here */
};

/* A section held to its document's end (offsets into reader.held). */
struct held_section {
	unsigned level;
	uint32_t line;
	size_t title_off, title_len, anchor_off, anchor_len;
	uint64_t text_off, map_off; /* in reader.held_body */
	size_t text_len, map_len;
};

/* A name of <a name="..."> or <a id="...">, in the section held N-th. */
struct html_name {
	const char *s; /* set once all are read: reader.names moves */
	size_t off, len;
	size_t section;
};

/*
 * Record the first failure; returns what an md4c callback should return.
 * md4c 0.4.8 does not stop on every callback's failure (a leaf block's
 * enter_block result is ignored), so each callback also checks
 * reader_failed() first and does nothing once something went wrong.
 */
static int
reader_fail(struct reader *r, awn_status st)
{
	if (st == AWN_OK)
		return 0;
	if (r->status == AWN_OK)
		r->status = st;
	return 1;
}

static int
reader_failed(const struct reader *r)
{
	return r->status != AWN_OK;
}

/* ---- Lines of the input ------------------------------------------------ */

/* The line of P, a byte of the sanitised input, counted on C from its
 * last position: a document costs one pass whatever asks.  A P behind
 * that position gets its line (md4c gives text in document order). */
static uint32_t
count_to(const struct reader *r, struct line_count *c, const char *p)
{
	const char *at = r->src.data + c->pos, *nl;
	const size_t *split = (const size_t *)r->split.data;
	size_t nsplit = r->split.len / sizeof(size_t);

	if (p < at)
		return c->at;
	while ((nl = memchr(at, '\n', (size_t)(p - at))) != NULL) {
		c->at++;
		at = nl + 1;
	}
	c->pos = (size_t)(p - r->src.data);
	for (; c->split_past < nsplit && split[c->split_past] < c->pos;
	     c->split_past++)
		c->at--;
	return c->at;
}

/* The start of the line after the one P is on (END if none). */
static const char *
line_after(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

/*
 * The lines of the text's lines (markdown_reader_set_lines).  A line
 * given text of the input takes that text's line; the others are
 * worked out: a blank line between blocks is the first blank line of
 * the input between them (past a closing fence; the line before the
 * next text when there is none, as between loose list items), a rule
 * the first line after the last text that is neither blank nor a
 * fence, a code block's empty line the line before the next code line,
 * any other line the line after the one before it.  Every scan starts
 * past the last text, so a document costs a pass or two.
 */
static uint32_t *
map_at(const struct reader *r, size_t i)
{
	return (uint32_t *)(void *)r->map.data + i;
}

static size_t
map_count(const struct reader *r)
{
	return r->map.len / sizeof(uint32_t);
}

/* A line of the text begins, of line LINE (0: not known yet). */
static awn_status
map_add(struct reader *r, uint32_t line)
{
	return r->map_on ? buf_add(&r->map, &line, sizeof(line)) : AWN_OK;
}

/* The line of the line before the one to come (0: none). */
static uint32_t
map_last(const struct reader *r)
{
	size_t n = map_count(r);

	return n > 0 ? *map_at(r, n - 1) : 0;
}

/* The lines not known yet end on LINE, the last of them: each one the
 * line before the next. */
static void
map_back(struct reader *r, uint32_t line)
{
	size_t i = map_count(r);

	for (; i > r->map_from; i--, line -= line > 1)
		*map_at(r, i - 1) = line;
	r->map_from = map_count(r);
	r->map_blank = 0;
}

/* The lines not known yet follow the one before them. */
static void
map_forward(struct reader *r)
{
	size_t i, n = map_count(r);
	uint32_t line = r->map_from > 0 ? *map_at(r, r->map_from - 1)
	                                : (r->line ? r->line : 1) - 1;

	/* Never past the input's end: a blank line the reader puts
	 * between blocks that the input has none between ("text\n* " at
	 * the end, an empty item) takes the last line, and so do the
	 * lines after it. */
	for (i = r->map_from; i < n; i++)
		*map_at(r, i) = line < r->map_last ? ++line : line;
	r->map_from = n;
	r->map_blank = 0;
}

/* Is the line P/N, after any quote marks, a code fence (which gives no
 * text)? */
static int
fence_line(const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	return end - p >= 3 &&
	       (memcmp(p, "```", 3) == 0 || memcmp(p, "~~~", 3) == 0);
}

enum { SCAN_BLANK, SCAN_RULE };

/* The first line from the one after the last text up to UNTIL that is
 * blank (SCAN_BLANK), or neither blank nor a fence (SCAN_RULE: between
 * the last text and a rule there are only such lines); UNTIL if
 * none. */
static const char *
map_scan(const struct reader *r, const char *until, int want)
{
	const char *q =
	    r->map_end ? r->map_end : r->src.data + r->map_count.pos;

	if (q >= until)
		return until;
	if (q > r->src.data && q[-1] != '\n')
		q = line_after(q, until);
	while (q < until) {
		const char *next = line_after(q, until);
		size_t n = (size_t)(next - q) - (next[-1] == '\n');
		if (want == SCAN_BLANK ? blank_line(q, n)
		                       : !blank_line(q, n) && !fence_line(q, n))
			return q;
		q = next;
	}
	return until;
}

/* A blank line between blocks waiting for its line (MAP_FROM is on it)
 * takes the first blank line before UNTIL, if there is one. */
static void
map_blank(struct reader *r, const char *until)
{
	const char *q;

	if (!r->map_blank || r->map_from >= map_count(r))
		return;
	r->map_blank = 0;
	if ((q = map_scan(r, until, SCAN_BLANK)) < until) {
		*map_at(r, r->map_from) = count_to(r, &r->map_count, q);
		r->map_from++;
	}
}

/* A rule's line (the last line of the text, MAP_FROM on it or on a
 * blank line before it): the first line after the last text that is
 * neither blank nor a fence. */
static void
map_rule(struct reader *r)
{
	const char *end = r->src.data + r->src.len;
	const char *q = map_scan(r, end, SCAN_RULE);

	if (q == end) { /* not found: the line after the one before */
		map_forward(r);
		return;
	}
	map_blank(r, q);
	map_back(r, count_to(r, &r->map_count, q));
	r->map_end = line_after(q, end); /* a blank after it is past it */
}

/* ---- Writing lines ----------------------------------------------------- */

static const char spaces[] = "                                ";

/* The container of index I, or NULL when it is deeper than we record. */
static struct box *
box_at(const struct reader *r, size_t i)
{
	return i < BOXES_MAX && i < r->depth ? &r->box[i] : NULL;
}

/*
 * Whether the block boundary being crossed lies inside a tight list: the
 * innermost container open on both sides decides.
 */
static int
boundary_is_tight(const struct reader *r)
{
	size_t d = r->shared_depth < r->depth ? r->shared_depth : r->depth;
	const struct box *b;

	if (d > BOXES_MAX)
		d = BOXES_MAX;
	if (d == 0)
		return 0;
	b = &r->box[d - 1];
	return b->kind != BOX_QUOTE && b->tight;
}

/*
 * Write the prefix of a new line: "> " per block quote, and per list item
 * its marker if the item has no line yet, else as many spaces.  Only the
 * outer PREFIX_CONTAINERS_MAX containers contribute, so deep nesting
 * costs constant time per line.  For a BLANK line between two blocks,
 * only the containers that hold both (entered before the last line
 * written), up to the last quote mark: a quote of several paragraphs
 * shows as one, two quotes as two, and a blank in no quote has none.
 */
static awn_status
put_prefix(struct reader *r, int blank)
{
	size_t i, shown = 0, mark = r->text.len;
	const struct box *b;
	awn_status st = AWN_OK;

	for (i = 0; (b = box_at(r, i)) != NULL && st == AWN_OK; i++) {
		int entered_since = b->lines_at_enter == r->lines;

		if (b->kind == BOX_LIST)
			continue;
		if (shown++ == PREFIX_CONTAINERS_MAX ||
		    (blank && entered_since))
			break;
		if (b->kind == BOX_QUOTE) {
			st = buf_add(&r->text, "> ", 2);
			mark = r->text.len - 1; /* up to the '>' */
		} else if (entered_since) {
			st = buf_add(&r->text, b->mark, b->mark_len);
		} else {
			st = buf_add(&r->text, spaces, b->mark_len);
		}
	}
	if (blank && st == AWN_OK)
		r->text.len = mark;
	return st;
}

static awn_status
put_blank_line(struct reader *r)
{
	awn_status st;

	if ((st = buf_addc(&r->text, RT_BLANK)) != AWN_OK ||
	    (st = put_prefix(r, 1)) != AWN_OK || (st = map_add(r, 0)) != AWN_OK)
		return st;
	r->map_blank = r->map_on;
	return buf_add(&r->text, (const char[]){RT_PREFIX_END, '\n'}, 2);
}

/* Start a line of the current leaf, after a separating blank if due. */
static awn_status
line_start(struct reader *r)
{
	struct leaf *l = &r->leaf;
	int first = !l->has_lines;
	awn_status st;

	if (first) {
		if (r->blank_wanted && !boundary_is_tight(r) &&
		    (st = put_blank_line(r)) != AWN_OK)
			return st;
		r->blank_wanted = 0;
		l->has_lines = 1;
	}
	if ((st = buf_addc(&r->text, l->next_kind)) != AWN_OK ||
	    (st = put_prefix(r, 0)) != AWN_OK || (st = map_add(r, 0)) != AWN_OK)
		return st;
	if (l->next_kind == RT_RULE && r->map_on)
		map_rule(r);
	if (l->next_kind == RT_CODE &&
	    (st = buf_add(&r->text, "    ", 4)) != AWN_OK)
		return st;
	if ((st = buf_addc(&r->text, RT_PREFIX_END)) != AWN_OK)
		return st;
	l->content_start = r->text.len;
	r->lines++;
	l->line_open = 1;
	l->line_has_text = 0;
	l->space_pending = 0;
	if (first && (l->flags & LEAF_STRONG))
		return buf_addc(&r->text, RT_STRONG_ON);
	return AWN_OK;
}

static awn_status
line_end_here(struct reader *r)
{
	r->leaf.line_open = 0;
	if (!r->in_code) /* a code line may be empty: see map_back */
		map_forward(r);
	return buf_addc(&r->text, '\n');
}

static void
leaf_begin(struct reader *r, char kind, unsigned flags)
{
	memset(&r->leaf, 0, sizeof(r->leaf));
	r->leaf.open = 1;
	r->leaf.next_kind = kind;
	r->leaf.flags = flags;
}

/* Make sure a line is open for content, starting a leaf if needed. */
static awn_status
ensure_line(struct reader *r)
{
	if (!r->leaf.open) {
		leaf_begin(r, RT_PARA, 0);
		r->leaf.implicit = 1;
	}
	if (r->leaf.line_open)
		return AWN_OK;
	return line_start(r);
}

/*
 * Append a closing marker.  When a break has already ended the line it
 * belongs to, it is moved back onto that line rather than starting a line
 * of its own.
 */
static awn_status
put_closing(struct reader *r, char marker)
{
	awn_status st;

	if (r->leaf.line_open)
		return buf_addc(&r->text, marker);
	if (!r->leaf.has_lines)
		return AWN_OK;
	r->text.len--; /* the previous line's '\n' */
	if ((st = buf_addc(&r->text, marker)) != AWN_OK)
		return st;
	return buf_addc(&r->text, '\n');
}

/* LEAF_COLLAPSE: emit the space that was held back, if any. */
static awn_status
flush_space(struct reader *r)
{
	struct leaf *l = &r->leaf;

	if (!l->space_pending)
		return AWN_OK;
	l->space_pending = 0;
	return buf_addc(&r->text, ' ');
}

static awn_status
put_opening(struct reader *r, char marker)
{
	awn_status st;

	if ((st = ensure_line(r)) != AWN_OK || (st = flush_space(r)) != AWN_OK)
		return st;
	return buf_addc(&r->text, marker);
}

static awn_status
leaf_end(struct reader *r)
{
	struct leaf *l = &r->leaf;
	awn_status st;

	if (!l->open)
		return AWN_OK;
	if ((l->flags & LEAF_STRONG) &&
	    (st = put_closing(r, RT_STRONG_OFF)) != AWN_OK)
		return st;
	if (l->line_open && (st = line_end_here(r)) != AWN_OK)
		return st;
	map_forward(r);
	if (l->has_lines) {
		r->blank_wanted = 1;
		r->shared_depth = r->depth;
	}
	l->open = 0;
	return AWN_OK;
}

static awn_status
implicit_leaf_end(struct reader *r)
{
	return r->leaf.open && r->leaf.implicit ? leaf_end(r) : AWN_OK;
}

/* Append a run of text that holds no control byte. */
static awn_status
put_run(struct reader *r, const char *s, size_t n)
{
	awn_status st;
	size_t i;

	if ((st = ensure_line(r)) != AWN_OK || (st = flush_space(r)) != AWN_OK)
		return st;
	for (i = 0; i < n && !r->visible; i++)
		r->visible = s[i] != ' ' && s[i] != '\t';
	r->leaf.line_has_text = 1;
	return buf_add(&r->text, s, n);
}

/* Handle one byte that put_text does not copy as is. */
static awn_status
put_special(struct reader *r, unsigned char c)
{
	struct leaf *l = &r->leaf;
	int space = c == ' ' || c == '\t' || c == '\n';

	/* A closed leaf's flags are stale: ensure_line will begin a fresh
	 * implicit leaf (flags 0) for this text. */
	if (space && l->open && (l->flags & LEAF_COLLAPSE)) {
		if (l->line_open && l->line_has_text)
			l->space_pending = 1;
		return AWN_OK;
	}
	if (c == '\n')
		return put_run(r, " ", 1);
	return put_run(r, REPLACEMENT, REPLACEMENT_LEN);
}

/* What ends a run of put_text: control bytes; in collapsed text, also
 * tabs and spaces. */
enum { STOP_CONTROL = 1, STOP_TAB = 2, STOP_SPACE = 4 };
#define C STOP_CONTROL
static const unsigned char text_stops[256] = {
    [0x00] = C, [0x01] = C, [0x02] = C,         [0x03] = C, [0x04] = C,
    [0x05] = C, [0x06] = C, [0x07] = C,         [0x08] = C, ['\t'] = STOP_TAB,
    [0x0a] = C, [0x0b] = C, [0x0c] = C,         [0x0d] = C, [0x0e] = C,
    [0x0f] = C, [0x10] = C, [0x11] = C,         [0x12] = C, [0x13] = C,
    [0x14] = C, [0x15] = C, [0x16] = C,         [0x17] = C, [0x18] = C,
    [0x19] = C, [0x1a] = C, [0x1b] = C,         [0x1c] = C, [0x1d] = C,
    [0x1e] = C, [0x1f] = C, [' '] = STOP_SPACE, [0x7f] = C,
};
#undef C

/* The bytes of W (little-endian) equal to C, as the high bit of each:
 * exact, no borrow between bytes. */
#define ONES  0x0101010101010101u
#define HIGHS (0x80 * ONES)
static uint64_t
bytes_equal(uint64_t w, unsigned c)
{
	uint64_t x = w ^ (c * ONES);

	return ~(((x & ~HIGHS) + ~HIGHS) | x) & HIGHS;
}

/*
 * The bytes of the 8 at S that put_text's loop must look at (a high bit
 * each; exact, so the lowest is the first): controls and DEL, tabs
 * among them, and in a COLLAPSE leaf the spaces but one between two
 * words (a space first in the run when AT_RUN, or last of the 8, is
 * looked at too).  Text with none of them is skipped 8 bytes at once.
 */
static uint64_t
run_stops(const char *s, int collapse, int at_run)
{
	uint64_t w, ctl, sp;

	memcpy(&w, s, 8);
	ctl = (~(((w & ~HIGHS) + 0x60 * ONES) | w) & HIGHS) |
	      bytes_equal(w, 0x7f);
	if (!collapse)
		return ctl;
	sp = bytes_equal(w, ' ');
	return ctl | (sp & (((ctl | sp) >> 8) | (HIGHS << 56) |
	                    (at_run ? 0x80u : 0)));
}

/* Append text to the current line, keeping out every control byte. */
static awn_status
put_text(struct reader *r, const char *s, size_t n)
{
	int collapse = r->leaf.open && (r->leaf.flags & LEAF_COLLAPSE) != 0;
	unsigned stop =
	    collapse ? STOP_CONTROL | STOP_TAB | STOP_SPACE : STOP_CONTROL;
	awn_status st = AWN_OK;
	size_t i = 0, run;
	unsigned char c;

	if (r->leaf.open && r->leaf.skip_spaces) {
		while (i < n && s[i] == ' ')
			i++;
		r->leaf.skip_spaces = i == n;
	}
	while (i < n && st == AWN_OK) {
		for (run = i; i < n; i++) {
			uint64_t m = 0;
			while (n - i >= 8 &&
			       !(m = run_stops(s + i, collapse, i == run)))
				i += 8;
			if (m)
				i += (size_t)__builtin_ctzll(m) / 8;
			else if (i == n)
				break;
			c = (unsigned char)s[i];
			if (!(text_stops[c] & stop))
				continue;
			/* One space between two words is copied as it is:
			 * put_special and put_run would write the same. */
			if (c == ' ' && i > run && i + 1 < n &&
			    !(text_stops[(unsigned char)s[i + 1]] & stop))
				continue;
			break;
		}
		if (i > run && (st = put_run(r, s + run, i - run)) != AWN_OK)
			break;
		if (i < n)
			st = put_special(r, (unsigned char)s[i++]);
	}
	return st;
}

/* Append bytes that are not visible text (a link destination). */
static awn_status
put_hidden(struct reader *r, const char *s, size_t n)
{
	awn_status st = AWN_OK;
	size_t i = 0, run;

	while (i < n && st == AWN_OK) {
		for (run = i; i < n && !is_control_byte((unsigned char)s[i]);)
			i++;
		if (i > run &&
		    (st = buf_add(&r->text, s + run, i - run)) != AWN_OK)
			break;
		if (i < n) {
			i++;
			st = buf_add(&r->text, REPLACEMENT, REPLACEMENT_LEN);
		}
	}
	return st;
}

/* A soft or hard line break inside the current leaf. */
static awn_status
put_break(struct reader *r, int hard)
{
	struct leaf *l = &r->leaf;
	awn_status st;

	if (l->flags & LEAF_ONE_LINE)
		return put_text(r, " ", 1);
	if (l->line_open) {
		if ((st = line_end_here(r)) != AWN_OK)
			return st;
		l->next_kind = hard ? RT_HARD : RT_SOFT;
	} else if (hard && l->has_lines) {
		l->next_kind = RT_HARD;
	}
	return AWN_OK;
}

/* Lines of a code block: one RT_CODE line per '\n'-terminated piece. */
static awn_status
put_code(struct reader *r, const char *s, size_t n)
{
	const char *nl;
	awn_status st;
	size_t piece;

	while (n > 0) {
		nl = memchr(s, '\n', n);
		piece = nl ? (size_t)(nl - s) : n;
		if ((st = ensure_line(r)) != AWN_OK ||
		    (st = put_text(r, s, piece)) != AWN_OK)
			return st;
		if (nl == NULL)
			break;
		if ((st = line_end_here(r)) != AWN_OK)
			return st;
		s += piece + 1;
		n -= piece + 1;
	}
	return AWN_OK;
}

/* ---- Titles ------------------------------------------------------------ */

/*
 * Append heading text to the plain title, collapsing whitespace and
 * ignoring what lies beyond SLUG_SOURCE_MAX: the anchor is the slug of
 * all of it, then title_finish cuts the title to TITLE_MAX.
 */
static awn_status
title_put(struct reader *r, const char *s, size_t n)
{
	awn_status st;
	size_t i;

	for (i = 0; i < n && r->title.len < SLUG_SOURCE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || is_control_byte(c)) {
			r->title_space = r->title.len > 0;
			continue;
		}
		if (r->title_space && (st = buf_addc(&r->title, ' ')) != AWN_OK)
			return st;
		r->title_space = 0;
		if ((st = buf_addc(&r->title, c)) != AWN_OK)
			return st;
	}
	return AWN_OK;
}

/*
 * Cut a title longer than TITLE_MAX bytes so that, with "..." to show it
 * was cut, it takes TITLE_MAX: at its last space past the half of them,
 * else on a character boundary.  Every path, listing and JSON "title"
 * shows the stored title, so the mark reaches them all.
 */
static void
title_finish(struct reader *r)
{
	struct buf *t = &r->title;
	size_t n = TITLE_MAX - 3, i;

	if (t->len > TITLE_MAX) {
		while (n > 0 && ((unsigned char)t->data[n] & 0xc0) == 0x80)
			n--;
		for (i = n; i > TITLE_MAX / 2 && t->data[i] != ' '; i--)
			;
		if (i > TITLE_MAX / 2)
			n = i;
		while (n > 0 && t->data[n - 1] == ' ')
			n--;
		memcpy(t->data + n, "...", 3);
		t->len = n + 3;
	}
	while (t->len > 0 && t->data[t->len - 1] == ' ')
		t->len--;
}

/* Text that is both content and, in a section heading, title. */
static awn_status
put_content(struct reader *r, const char *s, size_t n)
{
	awn_status st = put_text(r, s, n);

	if (st == AWN_OK && r->in_title)
		st = title_put(r, s, n);
	return st;
}

static awn_status
put_content_break(struct reader *r, int hard)
{
	awn_status st = put_break(r, hard);

	if (st == AWN_OK && r->in_title)
		st = title_put(r, " ", 1);
	return st;
}

/* ---- Sections ---------------------------------------------------------- */

static const char *
buf_cstr_or_empty(struct buf *b)
{
	return b->len == 0 ? "" : buf_cstr(b);
}

/* Give S to the caller, noting whose failure a failure is. */
static awn_status
hand_over(struct reader *r, const struct md_section *s)
{
	awn_status st = r->fn(r->ctx, s);

	if (st != AWN_OK)
		r->callback_failed = 1;
	return st;
}

/* Keep the finished section until the document's end. */
static awn_status
section_hold(struct reader *r)
{
	struct held_section h;
	awn_status st;

	h.level = r->level;
	h.line = r->line;
	h.title_off = r->held.len;
	h.title_len = r->title.len;
	if ((st = buf_add(&r->held, r->title.data, r->title.len)) ||
	    (st = buf_addc(&r->held, '\0')))
		return st;
	h.anchor_off = r->held.len;
	h.anchor_len = r->anchor.len;
	if ((st = buf_add(&r->held, r->anchor.data, r->anchor.len)) ||
	    (st = buf_addc(&r->held, '\0')))
		return st;
	h.text_off = r->held_body.len;
	h.text_len = r->text.len;
	if ((st = spill_add(&r->held_body, r->text.data, r->text.len, r->err)))
		return st;
	/* the lines' lines are read in place: 4-byte aligned */
	if (r->held_body.len % 4 != 0 &&
	    (st = spill_add(&r->held_body, "\0\0\0", 4 - r->held_body.len % 4,
	                    r->err)))
		return st;
	h.map_off = r->held_body.len;
	h.map_len = r->map.len;
	if ((st = spill_add(&r->held_body, r->map.data, r->map.len, r->err)))
		return st;
	if (r->spill_dir && spill_memory(&r->held_body) > r->spill_memory &&
	    (st = spill_to_file(&r->held_body, r->spill_dir, r->err)))
		return st;
	return buf_add(&r->held_index, &h, sizeof(h));
}

/* Hand the finished section to the caller (a blank preamble is dropped). */
static awn_status
section_flush(struct reader *r)
{
	struct md_section s;

	if (r->level == 0 && !r->visible)
		return AWN_OK;
	map_forward(r);
	if (r->holding)
		return section_hold(r);
	s.level = r->level;
	s.line = r->line;
	s.title = buf_cstr_or_empty(&r->title);
	s.title_len = r->title.len;
	s.anchor = buf_cstr_or_empty(&r->anchor);
	s.anchor_len = r->anchor.len;
	s.text = r->text.len ? r->text.data : "";
	s.text_len = r->text.len;
	s.lines = (const uint32_t *)(void *)r->map.data;
	s.nlines = map_count(r);
	s.names = NULL;
	s.nnames = 0;
	return hand_over(r, &s);
}

static void
section_start(struct reader *r, unsigned level)
{
	r->level = level;
	r->line = level == 0 ? 1 : 0; /* a preamble: the file's first line */
	r->visible = 0;
	buf_reset(&r->title);
	r->title_space = 0;
	buf_reset(&r->anchor);
	buf_reset(&r->text);
	buf_reset(&r->map);
	r->map_from = 0;
	r->map_blank = 0;
	r->blank_wanted = 0;
}

/* The line of P, a byte of the sanitised input at or past the last one
 * asked about, as a heading's. */
static uint32_t
line_of(struct reader *r, const char *p)
{
	r->located = 1;
	return count_to(r, &r->heading, p);
}

/* Is P a byte of the sanitised input at or past LINE_POS?  (As
 * numbers: md4c's own strings are other objects.) */
static int
line_ahead(const struct reader *r, const char *p)
{
	uintptr_t at = (uintptr_t)p - (uintptr_t)r->src.data;

	return at >= r->heading.pos && at < r->src.len;
}

/*
 * The line of a heading that gave no text ("#", "# ![](x.png)"): the
 * first line after the last text that starts, after at most three
 * spaces, with '#'.  Nothing between gave text, so only a blank line,
 * a rule, a link definition or an empty block can come before it.
 * Failing one (a setext heading of an image alone), that text's line.
 */
static uint32_t
textless_heading_line(struct reader *r)
{
	const char *p = r->src.data + r->heading.pos;
	const char *end = r->src.data + r->src.len, *q;

	if (r->located) /* the last heading's line is not this one's */
		p = line_after(p, end);
	if (line_ahead(r, r->text_end) && r->text_end > p)
		p = r->text_end[-1] == '\n' ? r->text_end
		                            : line_after(r->text_end, end);
	for (q = p; q < end; q = line_after(q, end)) {
		const char *h = q;
		while (h < end && *h == ' ' && h - q < 3)
			h++;
		if (h < end && *h == '#')
			return line_of(r, q);
	}
	return line_of(r, p < end ? p : r->src.data + r->heading.pos);
}

static awn_status
heading_enter(struct reader *r, const MD_BLOCK_H_DETAIL *h)
{
	unsigned level = h->level >= 1 && h->level <= 6 ? h->level : 6;
	awn_status st;

	if (r->depth > 0) { /* inside a quote or list: just bold text */
		leaf_begin(r, RT_PARA,
		           LEAF_ONE_LINE | LEAF_COLLAPSE | LEAF_STRONG);
		return AWN_OK;
	}
	if ((st = section_flush(r)) != AWN_OK)
		return st;
	section_start(r, level);
	r->in_title = 1;
	leaf_begin(r, (char)('0' + level), LEAF_ONE_LINE | LEAF_COLLAPSE);
	return ensure_line(r); /* even an empty heading has its line */
}

static awn_status
heading_leave(struct reader *r)
{
	awn_status st;

	if ((st = leaf_end(r)) != AWN_OK || !r->in_title)
		return st;
	r->in_title = 0;
	if (r->line == 0)
		r->line = textless_heading_line(r);
	if (map_count(r) > 0) /* as --where gives the section's line */
		*map_at(r, 0) = r->line;
	r->blank_wanted = 0; /* the body follows the heading line directly */
	/* The slug of the whole heading, as a link to it is written; a
	 * cut title's anchor is then stored, not derived. */
	st = markdown_slug(r->title.data, r->title.len, &r->anchor);
	title_finish(r);
	if (st != AWN_OK)
		return st;
	return slug_make_unique(&r->slugs, &r->anchor);
}

/* ---- Containers -------------------------------------------------------- */

static awn_status
box_push(struct reader *r, const struct box *b)
{
	struct box *more;
	size_t cap;

	if (r->depth < BOXES_MAX) {
		if (r->box == NULL || r->depth >= r->box_cap) {
			cap = r->box_cap ? r->box_cap * 2 : 16;
			more = alloc_reallocarray(r->box, cap, sizeof(*more));
			if (more == NULL)
				return AWN_ERR_NOMEM;
			r->box = more;
			r->box_cap = cap;
		}
		r->box[r->depth] = *b;
	}
	r->depth++;
	return AWN_OK;
}

static void
box_pop(struct reader *r)
{
	if (r->depth > 0)
		r->depth--;
	if (r->shared_depth > r->depth)
		r->shared_depth = r->depth;
}

static awn_status
quote_enter(struct reader *r)
{
	struct box b;

	memset(&b, 0, sizeof(b));
	b.kind = BOX_QUOTE;
	b.lines_at_enter = r->lines;
	return box_push(r, &b);
}

static awn_status
list_enter(struct reader *r, MD_BLOCKTYPE type, const void *detail)
{
	const MD_BLOCK_UL_DETAIL *ul = detail;
	const MD_BLOCK_OL_DETAIL *ol = detail;
	struct box b;

	memset(&b, 0, sizeof(b));
	b.kind = BOX_LIST;
	if (type == MD_BLOCK_OL) {
		b.ordered = 1;
		b.tight = ol->is_tight != 0;
		b.delim = ol->mark_delimiter == ')' ? ')' : '.';
		b.next = ol->start;
	} else {
		b.tight = ul->is_tight != 0;
		b.delim = ul->mark == '*' || ul->mark == '+' ? ul->mark : '-';
	}
	return box_push(r, &b);
}

/* Decimal digits of V into OUT (room for 20); returns their count.
 * By hand: snprintf cost more than the rest of a list item. */
static size_t
put_decimal(unsigned long long v, char *out)
{
	char digits[20];
	size_t n = 0, i;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	for (i = 0; i < n; i++)
		out[i] = digits[n - 1 - i];
	return n;
}

/* Build the item's marker ("- ", "3) [x] ") from its list. */
static void
item_mark(struct box *item, struct box *list, const MD_BLOCK_LI_DETAIL *li)
{
	char mark[64];
	size_t n = 0;

	if (list->ordered) {
		n = put_decimal(list->next++, mark);
		mark[n++] = list->delim;
	} else {
		mark[n++] = list->delim;
	}
	mark[n++] = ' ';
	if (li->is_task) {
		memcpy(mark + n, li->task_mark == ' ' ? "[ ] " : "[x] ", 4);
		n += 4;
	}
	if (n > sizeof(item->mark))
		n = sizeof(item->mark);
	memcpy(item->mark, mark, n);
	item->mark_len = (unsigned char)n;
}

static awn_status
item_enter(struct reader *r, const MD_BLOCK_LI_DETAIL *li)
{
	struct box *list = r->depth > 0 ? box_at(r, r->depth - 1) : NULL;
	struct box b;

	memset(&b, 0, sizeof(b));
	b.kind = BOX_ITEM;
	b.lines_at_enter = r->lines;
	if (list != NULL && list->kind == BOX_LIST) {
		b.tight = list->tight;
		item_mark(&b, list, li);
	}
	return box_push(r, &b);
}

/* An item that wrote no line still shows its marker on a line of its own. */
static awn_status
item_leave(struct reader *r)
{
	struct box *b = r->depth > 0 ? box_at(r, r->depth - 1) : NULL;
	awn_status st;

	if (b != NULL && b->lines_at_enter == r->lines) {
		leaf_begin(r, RT_PARA, 0);
		if ((st = ensure_line(r)) != AWN_OK ||
		    (st = leaf_end(r)) != AWN_OK)
			return st;
	}
	box_pop(r);
	return AWN_OK;
}

/* ---- HTML -------------------------------------------------------------- */

/* Tags whose start or end begins a new line of text. */
static int
tag_breaks_line(const char *name)
{
	static const char *const names[] = {
	    "address", "article",    "aside",   "blockquote", "br",
	    "caption", "dd",         "details", "div",        "dl",
	    "dt",      "figcaption", "figure",  "footer",     "h1",
	    "h2",      "h3",         "h4",      "h5",         "h6",
	    "header",  "hr",         "li",      "main",       "nav",
	    "ol",      "p",          "pre",     "section",    "summary",
	    "table",   "tbody",      "thead",   "tr",         "ul",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Lower-cased tag name after "<" or "</" at S/N, into NAME (16 bytes). */
static void
tag_name(const char *s, size_t n, char *name)
{
	size_t i = s[1] == '/' ? 2 : 1, k = 0;

	for (; i < n && k < 15; i++, k++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    !(c >= '0' && c <= '9'))
			break;
		name[k] = (char)((c >= 'A' && c <= 'Z') ? c | 0x20 : c);
	}
	name[k] = '\0';
}

/* Offset just past the "</NAME ...>" that closes a raw-text element. */
static size_t
raw_text_end(const char *s, size_t n, size_t from, const char *name)
{
	size_t len = strlen(name), i;
	const char *gt;

	for (i = from; i + 2 + len <= n; i++) {
		if (s[i] != '<' || s[i + 1] != '/' ||
		    strncasecmp(s + i + 2, name, len) != 0)
			continue;
		gt = memchr(s + i, '>', n - i);
		return gt ? (size_t)(gt - s) + 1 : n;
	}
	return n;
}

/* Offset just past the "-->" closing the comment at S, or N. */
static size_t
comment_end(const char *s, size_t n)
{
	const char *p = s + 4, *end = s + n;

	while ((p = memchr(p, '>', (size_t)(end - p))) != NULL) {
		if (p - s >= 6 && p[-1] == '-' && p[-2] == '-')
			return (size_t)(p - s) + 1;
		p++;
	}
	return n;
}

/* Offset just past the "?>" closing the processing instruction at S
 * ("<?php echo '>'; ?>": not its first '>'), or N. */
static size_t
instruction_end(const char *s, size_t n)
{
	const char *p = memmem(s + 2, n - 2, "?>", 2);

	return p != NULL ? (size_t)(p - s) + 2 : n;
}

static int
starts_tag(const char *s, size_t n)
{
	unsigned char c = n > 1 ? (unsigned char)s[1] : 0;

	if (c == '/' && n > 2)
		c = (unsigned char)s[2];
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '!' || c == '?';
}

/* ---- Named anchors ----------------------------------------------------- */

/*
 * Guides link to <a name="x"></a> tags more than to headings (of the
 * AWS guides' 3,540 "#" links, 108 reached a heading's slug): in a
 * heading, after a bold line, in a paragraph.  A document holding "<a "
 * is held to its end, and
 * then a "#x" link that names no heading but such an anchor is written
 * as a link to the anchor of the section the name is in.  The blob
 * keeps no names, and a reader needs no new rule.
 */
static int
has_html_anchor(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (end - p > 2 && (p = memchr(p, '<', (size_t)(end - p - 2)))) {
		if ((p[1] | 0x20) == 'a' &&
		    (p[2] == ' ' || p[2] == '\t' || p[2] == '\n'))
			return 1;
		p++;
	}
	return 0;
}

static int
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

static int
is_name_char(unsigned char c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
	       c == '.';
}

/* Note the names an "<a name=...>" or "<a id=...>" tag at S/N gives. */
static awn_status
note_html_name(struct reader *r, const char *s, size_t n)
{
	struct html_name nm;
	size_t i = 2, attr, attr_len, val;
	awn_status st;

	if (!r->holding || n < 4 || (s[1] | 0x20) != 'a' ||
	    (s[2] != ' ' && s[2] != '\t' && s[2] != '\n'))
		return AWN_OK;
	while (i < n && s[i] != '>') {
		if (!is_name_char((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (attr = i; i < n && is_name_char((unsigned char)s[i]); i++)
			;
		attr_len = i - attr;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			i++;
		if (i >= n || s[i] != '=')
			continue;
		while (++i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
			;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			const char *q = memchr(s + i + 1, s[i], n - i - 1);

			if (q == NULL)
				return AWN_OK;
			val = i + 1;
			i = (size_t)(q - s) + 1;
			nm.len = (size_t)(q - s) - val;
		} else {
			for (val = i; i < n && s[i] != '>' && s[i] != ' ' &&
			              s[i] != '\t' && s[i] != '\n';
			     i++)
				;
			nm.len = i - val;
		}
		if (nm.len == 0 ||
		    !((attr_len == 4 &&
		       strncasecmp(s + attr, "name", 4) == 0) ||
		      (attr_len == 2 && strncasecmp(s + attr, "id", 2) == 0)))
			continue;
		nm.s = NULL;
		nm.off = r->names.len;
		nm.section = r->held_index.len / sizeof(struct held_section);
		if ((st = buf_add(&r->names, s + val, nm.len)) != AWN_OK ||
		    (st = buf_add(&r->name_index, &nm, sizeof(nm))) != AWN_OK)
			return st;
	}
	return AWN_OK;
}

/* The names of X and Y compared as ASCII without case. */
static int
name_text_cmp(const struct html_name *x, const struct html_name *y)
{
	size_t i, n = x->len < y->len ? x->len : y->len;

	for (i = 0; i < n; i++) {
		int cx = ascii_lower((unsigned char)x->s[i]);
		int cy = ascii_lower((unsigned char)y->s[i]);

		if (cx != cy)
			return cx - cy;
	}
	return x->len < y->len ? -1 : x->len > y->len;
}

/* By name, then by section: the first of a name given twice first. */
static int
name_cmp(const void *a, const void *b)
{
	const struct html_name *x = a, *y = b;
	int c = name_text_cmp(x, y);

	if (c != 0)
		return c;
	return x->section < y->section ? -1 : x->section > y->section;
}

/* The first of the sorted NAMES (N) that is KEY/LEN, or NULL. */
static const struct html_name *
name_find(const struct html_name *names, size_t n, const char *key, size_t len)
{
	struct html_name want = {key, 0, len, 0};
	size_t lo = 0, hi = n;

	while (lo < hi) { /* the first not below KEY (section 0) */
		size_t mid = lo + (hi - lo) / 2;

		if (name_cmp(&names[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == n || name_text_cmp(&names[lo], &want) != 0)
		return NULL;
	return &names[lo];
}

/*
 * TEXT/LEN into OUT with its "#name" links led to the anchor of the held
 * section (of H, NH) whose <a name> it is, unless a heading has that
 * slug (links match anchors without case).
 */
static awn_status
relink(struct reader *r, const struct held_section *h, size_t nh,
       const struct html_name *names, size_t nn, const char *text, size_t len,
       struct buf *out)
{
	const char *p = text, *end = text + len, *link, *dest_end;
	const struct html_name *nm;
	struct buf key; /* the name, ASCII lower case: slugs are */
	size_t i, n;
	awn_status st = AWN_OK;

	buf_init(&key, SECTION_MAX);
	buf_reset(out);
	while ((link = memchr(p, RT_LINK, (size_t)(end - p))) != NULL) {
		link++;
		if ((st = buf_add(out, p, (size_t)(link - p))) != AWN_OK)
			goto done;
		p = link;
		dest_end = memchr(link, RT_LINK_TEXT, (size_t)(end - link));
		if (dest_end == NULL || *link != '#')
			continue;
		n = (size_t)(dest_end - link) - 1;
		if (n == 0)
			continue;
		buf_reset(&key);
		for (i = 0; i < n && st == AWN_OK; i++)
			st = buf_addc(&key,
			              ascii_lower((unsigned char)link[1 + i]));
		if (st != AWN_OK)
			goto done;
		if (slug_find(&r->slugs, key.data, n) != NULL ||
		    (nm = name_find(names, nn, key.data, n)) == NULL ||
		    nm->section >= nh || h[nm->section].anchor_len == 0)
			continue;
		if ((st = buf_addc(out, '#')) != AWN_OK ||
		    (st = buf_add(out, r->held.data + h[nm->section].anchor_off,
		                  h[nm->section].anchor_len)) != AWN_OK)
			goto done;
		p = dest_end;
	}
	st = buf_add(out, p, (size_t)(end - p));
done:
	buf_free(&key);
	return st;
}

/* Gather the names the tags of held section I give (ORDER[*J..NN) in
 * document order, *J advanced) as md_names in r->sec_names. */
static awn_status
section_names(struct reader *r, const struct html_name *order, size_t nn,
              size_t *j, size_t i)
{
	struct md_name m;
	awn_status st;

	buf_reset(&r->sec_names);
	for (; *j < nn && order[*j].section == i; (*j)++) {
		m.s = order[*j].s;
		m.len = order[*j].len;
		if ((st = buf_add(&r->sec_names, &m, sizeof(m))) != AWN_OK)
			return st;
	}
	return AWN_OK;
}

/* LEN bytes at OFF of the held texts and lines: in place while they are
 * in memory, else read into INTO. */
static awn_status
held_get(struct reader *r, uint64_t off, size_t len, struct buf *into,
         const char **out)
{
	const char *mem = spill_in_memory(&r->held_body);
	awn_status st;

	if (len == 0) { /* perhaps nothing held at all: no memory */
		*out = "";
		return AWN_OK;
	}
	if (mem != NULL) {
		*out = mem + off;
		return AWN_OK;
	}
	buf_reset(into);
	if ((st = buf_reserve(into, len)) ||
	    (st = spill_read(&r->held_body, off, into->data, len, r->err)))
		return st;
	into->len = len;
	*out = into->data;
	return AWN_OK;
}

/* Hand the held sections to the caller, their links led, with the
 * names their tags give. */
static awn_status
held_emit(struct reader *r)
{
	struct held_section *h = (struct held_section *)r->held_index.data;
	struct html_name *names = (struct html_name *)r->name_index.data;
	const struct html_name *order;
	size_t nh = r->held_index.len / sizeof(*h);
	size_t nn = r->name_index.len / sizeof(*names), i, j = 0;
	struct md_section s;
	const char *text, *map;
	awn_status st;

	if ((st = spill_flush(&r->held_body, r->err)))
		return st;
	for (i = 0; i < nn; i++)
		names[i].s = r->names.data + names[i].off;
	buf_reset(&r->name_order);
	if (nn > 0 &&
	    (st = buf_add(&r->name_order, names, nn * sizeof(*names))))
		return st;
	order = (const struct html_name *)r->name_order.data;
	if (nn > 1)
		qsort(names, nn, sizeof(*names), name_cmp);
	for (i = 0; i < nh; i++) {
		s.level = h[i].level;
		s.line = h[i].line;
		s.title = r->held.data + h[i].title_off;
		s.title_len = h[i].title_len;
		s.anchor = r->held.data + h[i].anchor_off;
		s.anchor_len = h[i].anchor_len;
		if ((st = held_get(r, h[i].text_off, h[i].text_len,
		                   &r->body_text, &text)) ||
		    (st = held_get(r, h[i].map_off, h[i].map_len, &r->body_map,
		                   &map)))
			return st;
		s.text = text;
		s.text_len = h[i].text_len;
		s.nlines = h[i].map_len / sizeof(uint32_t);
		s.lines = s.nlines ? (const uint32_t *)(const void *)map : NULL;
		if (nn > 0) {
			st = relink(r, h, nh, names, nn, s.text, s.text_len,
			            &r->text);
			if (st != AWN_OK)
				return st;
			s.text = r->text.len ? r->text.data : "";
			s.text_len = r->text.len;
		}
		if ((st = section_names(r, order, nn, &j, i)) != AWN_OK)
			return st;
		s.names = (const struct md_name *)r->sec_names.data;
		s.nnames = r->sec_names.len / sizeof(struct md_name);
		if ((st = hand_over(r, &s)) != AWN_OK)
			return st;
	}
	return AWN_OK;
}

/*
 * Handle the '<' at S/N of an HTML block: drop a comment, a tag, or a
 * script/style element; some tags end the line.  Returns the bytes used.
 * A tag ends at the first '>', quotes or not, so that hostile input
 * cannot make the scan quadratic; *NO_GT remembers that no '>' is left.
 */
static awn_status
html_markup(struct reader *r, const char *s, size_t n, int *no_gt, size_t *used)
{
	const char *end;
	char name[16];
	awn_status st;

	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		*used = comment_end(s, n);
		return AWN_OK;
	}
	if (n >= 2 && s[1] == '?') {
		*used = instruction_end(s, n);
		return AWN_OK;
	}
	end = *no_gt || !starts_tag(s, n) ? NULL : memchr(s, '>', n);
	if (end == NULL) {
		*no_gt = *no_gt || starts_tag(s, n);
		*used = 1;
		return put_text(r, "<", 1);
	}
	*used = (size_t)(end - s) + 1;
	if (r->holding && (st = note_html_name(r, s, *used)) != AWN_OK)
		return st;
	tag_name(s, n, name);
	if (s[1] != '/' && end[-1] != '/' &&
	    (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
		*used = raw_text_end(s, n, *used, name);
		return AWN_OK;
	}
	if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0)
		return put_text(r, " ", 1);
	return tag_breaks_line(name) ? put_break(r, 0) : AWN_OK;
}

/* Handle the '&' at S/N of an HTML block; returns the bytes used. */
static awn_status
html_entity(struct reader *r, const char *s, size_t n, size_t *used)
{
	char out[8];
	size_t i, len;

	for (i = 1; i < n && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ';')
			break;
		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
		    !(c >= '0' && c <= '9') && c != '#')
			break;
	}
	if (i < n && s[i] == ';' && (len = entity_decode(s, i + 1, out))) {
		*used = i + 1;
		return put_text(r, out, len);
	}
	*used = 1;
	return put_text(r, "&", 1);
}

/*
 * Write an HTML block as text: tags, comments and script/style elements
 * removed, entities decoded, each source line a line unless empty.
 */
static awn_status
html_block_write(struct reader *r, const char *s, size_t n)
{
	awn_status st = AWN_OK;
	size_t i = 0, run = 0, used;
	int no_gt = 0;
	/* md4c gave the block a line at a time, each ended by a '\n': the
	 * source line of S's bytes is its first line plus those before. */
	uint32_t line = r->html_line ? r->html_line : map_last(r) + 1;
	const char *nl;

	while (i < n && st == AWN_OK) {
		if (s[i] != '<' && s[i] != '&' && s[i] != '\n') {
			i++;
			continue;
		}
		if (i > run && (st = put_text(r, s + run, i - run)) != AWN_OK)
			break;
		if (r->map_on)
			map_back(r, line);
		if (s[i] == '\n') {
			st = put_break(r, 0);
			used = 1;
		} else if (s[i] == '&') {
			st = html_entity(r, s + i, n - i, &used);
		} else {
			st = html_markup(r, s + i, n - i, &no_gt, &used);
		}
		if (r->map_on) {
			map_back(r, line);
			for (nl = s + i;
			     (nl = memchr(nl, '\n',
			                  (size_t)(s + i + used - nl)));
			     nl++)
				line++;
		}
		i += used;
		run = i;
	}
	if (st == AWN_OK && i > run)
		st = put_text(r, s + run, i - run);
	if (r->map_on)
		map_back(r, line);
	return st;
}

/* Inline raw HTML is dropped, but <br> still breaks the line. */
static int
is_br_tag(const char *s, size_t n)
{
	size_t i = 3;

	if (n < 4 || strncasecmp(s, "<br", 3) != 0)
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
		i++;
	if (i < n && s[i] == '/')
		i++;
	return i + 1 == n && s[i] == '>';
}

/*
 * A break for an inline tag, without the spaces that surround the tag
 * in the source (md4c already trims those around other breaks).
 */
static awn_status
put_inline_break(struct reader *r, int hard)
{
	struct leaf *l = &r->leaf;

	if (!(l->flags & LEAF_ONE_LINE)) {
		while (l->line_open && r->text.len > l->content_start &&
		       r->text.data[r->text.len - 1] == ' ')
			r->text.len--;
		l->skip_spaces = 1;
	}
	return put_content_break(r, hard);
}

/*
 * Inline raw HTML is dropped, but <br> is a hard break, and a tag that
 * starts or ends a block in HTML ("item:<pre>x</pre>y", a list in a
 * table cell) a soft one, or a space in a heading or table row: else
 * the words on its two sides would run together.
 */
static awn_status
put_inline_tag(struct reader *r, const char *s, size_t n)
{
	struct leaf *l = &r->leaf;
	char name[16], last;

	if (is_br_tag(s, n))
		return put_inline_break(r, 1);
	if (n < 3 || s[0] != '<' || !l->open || !l->line_open ||
	    !l->line_has_text)
		return AWN_OK;
	tag_name(s, n, name);
	if (!tag_breaks_line(name) && strcmp(name, "td") != 0 &&
	    strcmp(name, "th") != 0)
		return AWN_OK;
	if (!(l->flags & LEAF_ONE_LINE))
		return put_inline_break(r, 0);
	/* One space, written only if more text follows in the cell. */
	last = r->text.data[r->text.len - 1];
	if (last != ' ' && last != RT_CELL) {
		l->space_pending = 1;
		l->skip_spaces = 1;
	}
	return r->in_title ? title_put(r, " ", 1) : AWN_OK;
}

/* ---- md4c callbacks ---------------------------------------------------- */

static awn_status
enter_block(struct reader *r, MD_BLOCKTYPE type, void *detail)
{
	switch (type) {
	case MD_BLOCK_QUOTE:
		return quote_enter(r);
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		return list_enter(r, type, detail);
	case MD_BLOCK_LI:
		return item_enter(r, detail);
	case MD_BLOCK_HR:
		leaf_begin(r, RT_RULE, 0);
		return ensure_line(r);
	case MD_BLOCK_H:
		return heading_enter(r, detail);
	case MD_BLOCK_CODE:
		leaf_begin(r, RT_CODE, 0);
		r->in_code = 1;
		return AWN_OK;
	case MD_BLOCK_HTML:
		leaf_begin(r, RT_PARA, LEAF_COLLAPSE);
		buf_reset(&r->html);
		r->in_html = 1;
		r->html_line = 0;
		return AWN_OK;
	case MD_BLOCK_P:
		leaf_begin(r, RT_PARA, 0);
		return AWN_OK;
	case MD_BLOCK_TABLE:
		leaf_begin(r, RT_TROW, LEAF_ONE_LINE);
		r->in_table = 1;
		return AWN_OK;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		r->in_thead = type == MD_BLOCK_THEAD;
		return AWN_OK;
	case MD_BLOCK_TR:
		r->leaf.next_kind = r->in_thead ? RT_THEAD : RT_TROW;
		r->cells = 0;
		return ensure_line(r);
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		if (r->cells++ == 0)
			return AWN_OK;
		r->leaf.space_pending = 0; /* a tag's, at the cell's end */
		return put_opening(r, RT_CELL);
	default:
		return AWN_OK;
	}
}

static awn_status
leave_block(struct reader *r, MD_BLOCKTYPE type)
{
	awn_status st;

	switch (type) {
	case MD_BLOCK_QUOTE:
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		box_pop(r);
		return AWN_OK;
	case MD_BLOCK_LI:
		return item_leave(r);
	case MD_BLOCK_H:
		return heading_leave(r);
	case MD_BLOCK_HTML:
		r->in_html = 0;
		st = html_block_write(r, r->html.data, r->html.len);
		return st == AWN_OK ? leaf_end(r) : st;
	case MD_BLOCK_CODE:
		r->in_code = 0;
		return leaf_end(r);
	case MD_BLOCK_TABLE:
		r->in_table = 0;
		return leaf_end(r);
	case MD_BLOCK_HR:
	case MD_BLOCK_P:
		return leaf_end(r);
	case MD_BLOCK_TR:
		return r->leaf.line_open ? line_end_here(r) : AWN_OK;
	default:
		return AWN_OK;
	}
}

static int
on_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct reader *r = userdata;
	awn_status st;

	if (reader_failed(r))
		return 1;
	r->html_cont = 0;
	if ((st = implicit_leaf_end(r)) == AWN_OK)
		st = enter_block(r, type, detail);
	return reader_fail(r, st);
}

static int
on_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	struct reader *r = userdata;
	awn_status st;

	(void)detail;
	if (reader_failed(r))
		return 1;
	r->html_cont = 0;
	if ((st = implicit_leaf_end(r)) == AWN_OK)
		st = leave_block(r, type);
	return reader_fail(r, st);
}

/* Write an MD_ATTRIBUTE (a link destination) with entities decoded. */
static awn_status
put_attribute(struct reader *r, const MD_ATTRIBUTE *a)
{
	awn_status st = AWN_OK;
	unsigned i;
	char out[8];
	size_t len;

	for (i = 0; a->substr_offsets[i] < a->size && st == AWN_OK; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];

		if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			st = put_hidden(r, REPLACEMENT, REPLACEMENT_LEN);
		else if (a->substr_types[i] == MD_TEXT_ENTITY &&
		         (len = entity_decode(s, n, out)) > 0)
			st = put_hidden(r, out, len);
		else
			st = put_hidden(r, s, n);
	}
	return st;
}

/* Start a link (or an image, shown as a link to its source). */
static awn_status
link_enter(struct reader *r, const MD_ATTRIBUTE *dest)
{
	awn_status st;

	if (r->links++ > 0) /* nested: only the outer one is a link */
		return AWN_OK;
	if ((st = put_opening(r, RT_LINK)) != AWN_OK ||
	    (st = put_attribute(r, dest)) != AWN_OK)
		return st;
	return buf_addc(&r->text, RT_LINK_TEXT);
}

static awn_status
link_leave(struct reader *r)
{
	if (r->links == 0 || --r->links > 0)
		return AWN_OK;
	return put_closing(r, RT_LINK_END);
}

static int
on_enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct reader *r = userdata;
	awn_status st = AWN_OK;

	if (reader_failed(r))
		return 1;
	switch (type) {
	case MD_SPAN_EM:
		st = put_opening(r, RT_EM_ON);
		break;
	case MD_SPAN_STRONG:
		st = put_opening(r, RT_STRONG_ON);
		break;
	case MD_SPAN_CODE:
		st = put_opening(r, RT_CODE_ON);
		break;
	case MD_SPAN_DEL:
		st = put_opening(r, RT_DEL_ON);
		break;
	case MD_SPAN_A:
		st = link_enter(r, &((MD_SPAN_A_DETAIL *)detail)->href);
		break;
	case MD_SPAN_IMG:
		st = link_enter(r, &((MD_SPAN_IMG_DETAIL *)detail)->src);
		break;
	default:
		break;
	}
	return reader_fail(r, st);
}

static int
on_leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct reader *r = userdata;
	awn_status st = AWN_OK;

	(void)detail;
	if (reader_failed(r))
		return 1;
	switch (type) {
	case MD_SPAN_EM:
		st = put_closing(r, RT_EM_OFF);
		break;
	case MD_SPAN_STRONG:
		st = put_closing(r, RT_STRONG_OFF);
		break;
	case MD_SPAN_CODE:
		st = put_closing(r, RT_CODE_OFF);
		break;
	case MD_SPAN_DEL:
		st = put_closing(r, RT_DEL_OFF);
		break;
	case MD_SPAN_A:
	case MD_SPAN_IMG:
		st = link_leave(r);
		break;
	default:
		break;
	}
	return reader_fail(r, st);
}

/*
 * A code span in a table cell: GFM takes \| for a | that does not end
 * the cell, inside code spans too, and md4c leaves the backslash there.
 */
static awn_status
put_cell_code(struct reader *r, const char *s, size_t n)
{
	size_t i, from = 0;
	awn_status st;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == '\\' && s[i + 1] == '|') {
			if ((st = put_content(r, s + from, i - from)) != AWN_OK)
				return st;
			from = ++i;
		}
	}
	return put_content(r, s + from, n - from);
}

static awn_status
take_text(struct reader *r, MD_TEXTTYPE type, const char *s, size_t n)
{
	char out[8];
	size_t len;
	awn_status st;
	int cont = r->html_cont;

	if (r->in_html)
		return buf_add(&r->html, s, n);
	/* md4c gives inline raw HTML a line at a time, with a "\n" of
	 * MD_TEXT_HTML between: a line after it is inside a comment or a
	 * tag begun above, and names no anchor. */
	r->html_cont = type == MD_TEXT_HTML && n == 1 && s[0] == '\n';
	switch (type) {
	case MD_TEXT_NULLCHAR:
		return put_content(r, REPLACEMENT, REPLACEMENT_LEN);
	case MD_TEXT_BR:
		return put_content_break(r, 1);
	case MD_TEXT_SOFTBR:
		return put_content_break(r, 0);
	case MD_TEXT_ENTITY:
		if ((len = entity_decode(s, n, out)) > 0)
			return put_content(r, out, len);
		return put_content(r, s, n);
	case MD_TEXT_HTML:
		if (r->holding && !cont &&
		    (st = note_html_name(r, s, n)) != AWN_OK)
			return st;
		return put_inline_tag(r, s, n);
	case MD_TEXT_CODE:
		if (r->in_code)
			return put_code(r, s, n);
		if (r->in_table)
			return put_cell_code(r, s, n);
		return put_content(r, s, n);
	default:
		return put_content(r, s, n);
	}
}

static int
on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	struct reader *r = userdata;
	uint32_t line = 0;
	awn_status st;

	if (reader_failed(r))
		return 1;
	/* A heading's line is its first text's (a setext heading's too,
	 * not its underline's).  Breaks, NULs and an HTML line's end are
	 * md4c's own strings, outside the input. */
	if (line_ahead(r, text) &&
	    size <= r->src.len - ((uintptr_t)text - (uintptr_t)r->src.data)) {
		if (r->in_title && r->line == 0)
			r->line = line_of(r, text);
		r->text_end = text + size;
	}
	st = take_text(r, type, text, size);
	/* After it: the text may have begun a line, after a blank one. */
	if (r->map_on &&
	    (uintptr_t)text - (uintptr_t)r->src.data < r->src.len &&
	    size <= r->src.len - ((uintptr_t)text - (uintptr_t)r->src.data)) {
		map_blank(r, text);
		line = count_to(r, &r->map_count, text);
		r->map_end = text + size;
		if (!r->in_html)
			map_back(r, line);
		else if (r->html_line == 0)
			r->html_line =
			    line; /* its text is written at its end */
	}
	return reader_fail(r, st);
}

/* ---- Entry point ------------------------------------------------------- */

/* A reader's buffers past this are freed after their document rather
 * than kept for the next one. */
#define READER_KEEP_MAX ((size_t)1 << 20)
#define SLUGS_KEEP_MAX  256 /* slots */

/* Buffer B (of the last document, or zeroed) emptied for the next,
 * with cap MAX. */
static void
reuse_buf(struct buf *b, size_t max)
{
	if (b->data == NULL || b->cap > READER_KEEP_MAX) {
		buf_free(b);
		buf_init(b, max);
	}
	buf_reset(b);
	b->max = max;
}

/* Start R (zeroed, or the reader of the last document, whose memory it
 * keeps) on a document. */
static void
reader_init(struct reader *r, md_section_fn fn, void *ctx)
{
	struct reader kept = *r;

	memset(r, 0, sizeof(*r));
	r->fn = fn;
	r->ctx = ctx;
	r->src = kept.src;
	r->title = kept.title;
	r->anchor = kept.anchor;
	r->text = kept.text;
	r->html = kept.html;
	r->held = kept.held;
	r->held_index = kept.held_index;
	r->names = kept.names;
	r->name_index = kept.name_index;
	r->name_order = kept.name_order;
	r->sec_names = kept.sec_names;
	r->split = kept.split;
	r->map = kept.map;
	r->body_text = kept.body_text;
	r->body_map = kept.body_map;
	r->spill_dir = kept.spill_dir;
	r->spill_memory = kept.spill_memory;
	spill_init(&r->held_body); /* the last document's was freed */
	r->map_on = kept.map_on;
	r->slugs.keys = kept.slugs.keys;
	reuse_buf(&r->src, SANE_MAX);
	reuse_buf(&r->title, SECTION_MAX);
	reuse_buf(&r->anchor, SECTION_MAX);
	reuse_buf(&r->text, SECTION_MAX);
	reuse_buf(&r->html, SECTION_MAX);
	reuse_buf(&r->held, HELD_MAX);
	reuse_buf(&r->held_index, HELD_MAX);
	reuse_buf(&r->names, HELD_MAX);
	reuse_buf(&r->name_index, HELD_MAX);
	reuse_buf(&r->name_order, HELD_MAX);
	reuse_buf(&r->sec_names, HELD_MAX);
	reuse_buf(&r->split, HELD_MAX);
	reuse_buf(&r->map, HELD_MAX);
	reuse_buf(&r->body_text, SECTION_MAX);
	reuse_buf(&r->body_map, SECTION_MAX);
	reuse_buf(&r->slugs.keys, SECTION_MAX);
	if (kept.slugs.size > 0 && kept.slugs.size <= SLUGS_KEEP_MAX) {
		memset(kept.slugs.slot, 0,
		       kept.slugs.size * sizeof(*kept.slugs.slot));
		r->slugs.slot = kept.slugs.slot;
		r->slugs.size = kept.slugs.size;
	} else {
		alloc_free(kept.slugs.slot);
	}
	r->box = kept.box;
	r->box_cap = kept.box_cap;
	section_start(r, 0);
}

static void
reader_free(struct reader *r)
{
	buf_free(&r->src);
	buf_free(&r->title);
	buf_free(&r->anchor);
	buf_free(&r->text);
	buf_free(&r->html);
	buf_free(&r->held);
	buf_free(&r->held_index);
	buf_free(&r->names);
	buf_free(&r->name_index);
	buf_free(&r->name_order);
	buf_free(&r->sec_names);
	buf_free(&r->split);
	buf_free(&r->map);
	buf_free(&r->body_text);
	buf_free(&r->body_map);
	spill_free(&r->held_body);
	slug_set_free(&r->slugs);
	alloc_free(r->box);
}

struct markdown_reader {
	struct reader r;
};

struct markdown_reader *
markdown_reader_new(void)
{
	struct markdown_reader *mr = alloc_calloc(1, sizeof(*mr));

	if (mr != NULL)
		spill_init(&mr->r.held_body);
	return mr;
}

void
markdown_reader_free(struct markdown_reader *mr)
{
	if (mr == NULL)
		return;
	reader_free(&mr->r);
	alloc_free(mr);
}

void
markdown_reader_set_lines(struct markdown_reader *mr, int on)
{
	mr->r.map_on = on != 0;
}

static awn_status
parse(struct reader *r)
{
	MD_PARSER parser;
	awn_status st;
	int rc;

	memset(&parser, 0, sizeof(parser));
	parser.flags = MD4C_FLAGS;
	parser.enter_block = on_enter_block;
	parser.leave_block = on_leave_block;
	parser.enter_span = on_enter_span;
	parser.leave_span = on_leave_span;
	parser.text = on_text;
	rc = dl_md_parse(r->src.data, (MD_SIZE)r->src.len, &parser, r);
	if (r->status != AWN_OK)
		return r->status;
	if (rc != 0)
		return AWN_ERR_NOMEM; /* md4c's own allocation failed */
	if ((st = section_flush(r)) != AWN_OK || !r->holding)
		return st;
	return held_emit(r);
}

void
markdown_reader_set_spill(struct markdown_reader *mr, const char *dir,
                          size_t memory)
{
	mr->r.spill_dir = dir;
	mr->r.spill_memory = memory;
}

/* markdown_read_with, and with RELEASE (DATA's buffer) markdown_read_buf */
static awn_status
read_doc(struct markdown_reader *mr, const char *data, size_t len,
         struct buf *release, md_section_fn fn, void *ctx, awn_error *err)
{
	struct reader own, *r = mr ? &mr->r : &own;
	awn_status st;

	if (fn == NULL || (data == NULL && len > 0))
		return error_set(err, AWN_ERR_ARG,
		                 "markdown_read: no input or no callback");
	if (len > MARKDOWN_MAX_SIZE)
		return error_set(err, AWN_ERR_INPUT,
		                 "Markdown input of %zu bytes is too large "
		                 "(the limit is %zu bytes)",
		                 len, MARKDOWN_MAX_SIZE);
	if ((st = dynload_md4c(err)) != AWN_OK)
		return st;
	if (mr == NULL)
		memset(&own, 0, sizeof(own));
	reader_init(r, fn, ctx);
	r->err = err;
	st = sanitize(data ? data : "", len, &r->src, &r->heading.at);
	if (release != NULL) /* the copy is what is read */
		buf_free(release);
	r->heading.at++; /* the line of src's first byte */
	r->map_count = r->heading;
	if (st == AWN_OK)
		st = split_link_runs(&r->src, &r->split);
	if (st == AWN_OK && r->map_on) {
		struct line_count all = r->map_count;
		r->map_last = count_to(r, &all, r->src.data + r->src.len);
	}
	if (st == AWN_OK) {
		r->holding = has_html_anchor(r->src.data, r->src.len);
		st = parse(r);
	}
	spill_free(&r->held_body); /* its file goes with the document */
	if (mr == NULL)
		reader_free(r);
	if (st == AWN_OK || r->callback_failed)
		return st; /* the callback's own status, detail left alone */
	if (st == AWN_ERR_IO)
		return st; /* the held sections' file: ERR says how */
	if (st == AWN_ERR_LIMIT)
		return error_set(err, st,
		                 "a section of the Markdown input needs more "
		                 "than %zu bytes",
		                 SECTION_MAX);
	return error_set(err, st, "out of memory while reading Markdown");
}

awn_status
markdown_read_with(struct markdown_reader *mr, const char *data, size_t len,
                   md_section_fn fn, void *ctx, awn_error *err)
{
	return read_doc(mr, data, len, NULL, fn, ctx, err);
}

awn_status
markdown_read_buf(struct markdown_reader *mr, struct buf *in, md_section_fn fn,
                  void *ctx, awn_error *err)
{
	return read_doc(mr, in->data ? in->data : "", in->len, in, fn, ctx,
	                err);
}

awn_status
markdown_read(const char *data, size_t len, md_section_fn fn, void *ctx,
              awn_error *err)
{
	return markdown_read_with(NULL, data, len, fn, ctx, err);
}
