#include "captcha.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "msg.h"
#include "parse/slider.h"

/* Writes all of data to fd, polling the child's stdout so neither side can
 * block the other.  Reads what the child prints into out. */
static int
exchange(int in_fd, int out_fd, const char *data, size_t len, struct buf *out, char *err)
{
	size_t written = 0;
	time_t deadline = time(NULL) + CAPTCHA_TIMEOUT_S;
	int open_out = 1;
	while (open_out) {
		struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
		nfds_t n = in_fd >= 0 ? 2 : 1;
		int left = (int)(deadline - time(NULL));
		if (left <= 0)
			return set_err(err, "captcha_command gave no answer within %d s",
				       CAPTCHA_TIMEOUT_S);
		if (poll(fds, n, left * 1000) < 0 && errno != EINTR)
			return set_err(err, "captcha_command: %s", strerror(errno));
		if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(in_fd, data + written, len - written);
			if (w > 0)
				written += (size_t)w;
			if (w < 0 || written == len) {
				close(in_fd);
				in_fd = -1;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			char chunk[256];
			ssize_t r = read(out_fd, chunk, sizeof(chunk));
			if (r > 0 && out->len < 4096)
				buf_append(out, chunk, (size_t)r);
			else if (r <= 0)
				open_out = 0;
		}
	}
	if (in_fd >= 0)
		close(in_fd);
	return 0;
}

int
captcha_solve(const char *command, const struct icp_captcha *challenge, long *x, char *err)
{
	json_t *o = json_pack("{s:s?, s:s?, s:s?, s:i}", "uuid", challenge->uuid, "bigImage",
			      challenge->big_image, "smallImage", challenge->small_image, "height",
			      challenge->height);
	char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!data)
		return set_err(err, "cannot encode the captcha challenge");
	int to_child[2], from_child[2];
	if (pipe(to_child) < 0 || pipe(from_child) < 0) {
		free(data);
		return set_err(err, "captcha_command: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		free(data);
		return set_err(err, "captcha_command: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(to_child[0], STDIN_FILENO);
		dup2(from_child[1], STDOUT_FILENO);
		close(to_child[0]);
		close(to_child[1]);
		close(from_child[0]);
		close(from_child[1]);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(to_child[0]);
	close(from_child[1]);
	struct buf out;
	buf_init(&out);
	int rc = exchange(to_child[1], from_child[0], data, strlen(data), &out, err);
	close(from_child[0]);
	free(data);
	if (rc < 0)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = set_err(err, "captcha_command failed (exit status %d)",
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	if (rc == 0) {
		char *end;
		errno = 0;
		double v = strtod(buf_cstr(&out), &end);
		while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
			end++;
		if (errno || end == buf_cstr(&out) || *end || v < 0 || v > 10000)
			rc = set_err(err, "captcha_command printed no x offset");
		else
			*x = (long)(v + 0.5);
	}
	buf_finish(&out);
	return rc;
}

const char *
captcha_solver(const struct config *cfg, const char **why)
{
	*why = NULL;
	if (cfg->icp.captcha_command)
		return "captcha_command";
	if (cfg->icp.captcha == CAPTCHA_BUILTIN)
		return "builtin";
	*why = cfg->icp.captcha == CAPTCHA_OFF
		? "[icp] captcha = off"
		: "[icp] captcha = command and no captcha_command is configured";
	return NULL;
}

int
captcha_answer(const struct config *cfg, const struct icp_captcha *challenge, long *x, char *err)
{
	const char *why;
	const char *solver = captcha_solver(cfg, &why);
	if (!solver)
		return set_err(err, "no captcha solver: %s", why);
	if (cfg->icp.captcha_command)
		return captcha_solve(cfg->icp.captcha_command, challenge, x, err);
	double confidence;
	char reason[ERRBUF_SIZE];
	if (slider_solve(challenge->big_image, strlen(challenge->big_image),
			 challenge->small_image, strlen(challenge->small_image), challenge->height,
			 x, &confidence, reason) < 0)
		return set_err(err, "built-in captcha solver: %s", reason);
	msg_verbose("icp: captcha %s: gap at x = %ld (confidence %.2f)", challenge->uuid, *x,
		    confidence);
	return 0;
}
