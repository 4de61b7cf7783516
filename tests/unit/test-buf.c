/*
 * test-buf.c - growable buffers respect their caps and report failures.
 */
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "check.h"

int
main(void)
{
	struct buf b;
	size_t i;

	buf_init(&b, 10);
	CHECK_INT(buf_add(&b, "hello", 5), AWN_OK);
	CHECK_INT(buf_addc(&b, ' '), AWN_OK);
	CHECK_INT(buf_printf(&b, "%d", 123), AWN_OK);
	CHECK_STR(buf_cstr(&b), "hello 123");
	CHECK_INT(buf_add(&b, "xy", 2), AWN_ERR_LIMIT); /* 11 > 10 */
	CHECK_INT(b.len, 9);
	CHECK_INT(buf_addc(&b, '!'), AWN_OK); /* exactly at the cap */
	CHECK_STR(buf_cstr(&b), "hello 123!");
	buf_reset(&b);
	CHECK_INT(b.len, 0);
	buf_free(&b);

	/* Growth across many appends keeps the content. */
	buf_init(&b, 0);
	for (i = 0; i < 10000; i++)
		CHECK_INT(buf_addc(&b, 'a' + (int)(i % 26)), AWN_OK);
	CHECK_INT(b.len, 10000);
	CHECK(b.data[9999] == 'a' + 9999 % 26);
	buf_free(&b);

	/* Allocation failure is reported, and the buffer stays usable. */
	buf_init(&b, 0);
	alloc_fail_after(0);
	CHECK_INT(buf_adds(&b, "x"), AWN_ERR_NOMEM);
	alloc_fail_after(-1);
	CHECK_INT(buf_adds(&b, "x"), AWN_OK);
	CHECK_STR(buf_cstr(&b), "x");
	buf_free(&b);
	return check_status();
}
