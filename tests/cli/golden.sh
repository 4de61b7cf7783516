#!/bin/sh
# Real lookups compared byte for byte with tests/golden/ (regenerate after
# a deliberate change with AWSNOTE_REGOLD=1 make check, then review the diff).
. "$top_srcdir/tests/lib.sh"

expect_golden s3-encryption.out "$AWSNOTE" s3 encryption
expect_golden dynamodb-streams.out "$AWSNOTE" dynamodb streams
expect_golden sqs.out "$AWSNOTE" sqs
expect_golden storage-classes.out "$AWSNOTE" storage classes
expect_golden apropos-kms.out "$AWSNOTE" -k kms
expect_golden list.out "$AWSNOTE" -l
expect_golden s3-encryption-color-60.out "$AWSNOTE" --color=always --width 60 s3 encryption
expect_golden api-gateway-100.out "$AWSNOTE" --color=never --width 100 api gateway
finish
