/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the one rule for portraits, at issuance and at verification.
 *
 * A portrait travels to every verifier that asks for it, and some save
 * it: any byte it carries beyond the picture is a channel from the issuing
 * desk to all of them.  So a portrait is a plain baseline, extended or
 * progressive JFIF JPEG, checked by allow-list, segment by segment: SOI;
 * exactly one APP0, first, that is a JFIF header of 16 bytes with no
 * thumbnail; DQT, DHT, DRI; one SOF0, SOF1 or SOF2 (8-bit samples, one or
 * three components); SOS each followed by its entropy-coded data (stuffed
 * 0xFF 0x00 bytes and RST markers inside); EOI; and nothing after EOI.
 * Every segment's length must be what its content says (no padding), and
 * fill bytes before a marker are refused.  Anything else (APP1 to APP15:
 * EXIF, XMP, ICC, IPTC; COM; the reserved JPGn and RESn markers; DNL, DHP,
 * EXP, DAC; other SOFs) is refused.  The entropy-coded data itself can
 * still hide bits (steganography): no format check removes that.
 */
#ifndef MINDL_JPEG_H
#define MINDL_JPEG_H

#include <stddef.h>
#include <stdint.h>

/* Why a portrait was refused, for the person who must fix it. */
struct mindl_jpeg_fault {
	const char	*why;		/* a static sentence */
	size_t		 at;		/* byte offset of the fault */
	unsigned	 marker;	/* 0xFFxx of the faulty segment, or 0 */
};

/*
 * MINDL_OK, or MINDL_ERR_PORTRAIT with the reason in the debug log and,
 * if f is not NULL, in *f (zeroed on success).
 */
int mindl_jpeg_check(const uint8_t *p, size_t n, struct mindl_jpeg_fault *f);
/* A short name for a marker's kind: "APP1 (EXIF/XMP metadata)", ... */
const char *mindl_jpeg_marker_name(unsigned marker);

#endif /* MINDL_JPEG_H */
