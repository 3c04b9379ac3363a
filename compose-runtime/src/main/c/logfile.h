/* Docker's json-file log driver, as the shim writes it. */
#ifndef JC_LOGFILE_H
#define JC_LOGFILE_H
#include <stddef.h>

#define LOG_BUF 16384   /* Docker's copier buffer: a longer line is split into records of this size */

struct logfile {
    const char *path;
    int fd;
    long long size, max_size;
    int max_file;
};

struct linebuf {
    const char *stream;   /* "stdout" or "stderr" */
    size_t n;
    int partial;          /* the previous record was a non-final chunk: reuse its time */
    char time[40];
    char buf[LOG_BUF];
};

int logfile_open(struct logfile *lf, const char *path, long long max_size, int max_file);
/* feed bytes read from the stream; complete lines (and full buffers) become records */
void linebuf_feed(struct logfile *lf, struct linebuf *lb, const char *data, size_t len);
/* end of stream: a last line without newline is written without one */
void linebuf_flush(struct logfile *lf, struct linebuf *lb);
/* one record: {"log":..., "stream":..., "time":...}\n — escaped like Go's encoding/json */
size_t json_log_record(char *out, size_t cap, const char *line, size_t len, int newline, const char *stream, const char *time);
#endif
