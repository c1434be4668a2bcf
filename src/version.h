/* version.h: the release, for --version and the User-Agent of requests. */
#ifndef RD_VERSION_H
#define RD_VERSION_H

#define RD_VERSION	"0.9.0"

#endif
