/* kmrep: is this 卡盟 platform safe to order from?  main parses the global
 * options, loads the configuration and hands over to one command. */
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/xmlversion.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "err.h"
#include "i18n.h"
#include "interrupt.h"
#include "msg.h"
#include "sync/registry.h"
#include "report/render.h"
#include "store.h"
#include "text.h"
#include "timeutil.h"
#include "version.h"
#include "xalloc.h"

static const struct command *const commands[] = {
	&cmd_add, &cmd_list, &cmd_remove, &cmd_rename, &cmd_refresh, &cmd_check, &cmd_report,
	&cmd_complaints, &cmd_import, &cmd_reparse, &cmd_discover, NULL,
};

static void
print_help(FILE *out)
{
	fputs(_("Usage: kmrep [GLOBAL OPTIONS] COMMAND [ARGS]\n"
		"Check a 卡盟 platform's complaints and ICP filing before you pay.\n"
		"\nCommands:\n"),
	      out);
	for (size_t i = 0; commands[i]; i++)
		fprintf(out, "  %-11s %s\n", commands[i]->name, _(commands[i]->summary));
	fputs(_("\nGlobal options (before or after the command):\n"
		"  --db PATH       database (default $KMREP_DB, else\n"
		"                  $XDG_DATA_HOME/kmrep/kmrep.db)\n"
		"  --config PATH   configuration (default $KMREP_CONFIG, else\n"
		"                  $XDG_CONFIG_HOME/kmrep/config.ini; none there: built-in\n"
		"                  defaults)\n"
		"  --lang zh|en    language of text output and messages (default: the locale,\n"
		"                  $LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG: zh_* is Chinese)\n"
		"  -q, --quiet     print only failures\n"
		"  -v, --verbose   say what is fetched (twice: debug)\n"
		"  -h, --help      this help; `kmrep COMMAND --help` for a command's options\n"
		"  --version       kmrep's and its libraries' versions\n"
		"\nExit status:\n"
		"  0   done\n"
		"  1   partly done: a source or page failed; everything that succeeded is stored\n"
		"  2   usage error\n"
		"  3   database or internal error; nothing half-written\n"
		"  4   another refresh holds the lock\n"
		"  10  check --fail-on: the verdict is at or past the threshold\n"
		"  130 interrupted by Ctrl-C (SIGINT); what was done is stored whole\n"
		"\nEnvironment: KMREP_DB, KMREP_CONFIG, KMREP_NOW (pin \"now\",\n"
		"YYYY-MM-DDTHH:MM:SSZ), NO_COLOR, LANG and LC_* (the language).\n"
		"See kmrep(1).\n"),
	      out);
}

static void
print_version(void)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
	char pcre[64] = "";
	pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	printf("kmrep %s\n", KMREP_VERSION);
	printf("libcurl %s (%s)\n", cv->version, cv->ssl_version ? cv->ssl_version : "no TLS");
	printf("libxml2 %s\n", LIBXML_DOTTED_VERSION);
	printf("SQLite %s\n", sqlite3_libversion());
	printf("PCRE2 %s\n", pcre);
	printf("jansson %s\n", jansson_version_str());
	printf("OpenSSL %s\n", OpenSSL_version(OPENSSL_VERSION));
}

int
cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vprint(NULL, fmt, ap);
	va_end(ap);
	fputs(_("Try 'kmrep --help'.\n"), stderr);
	return EXIT_USAGE;
}

/* "Usage: kmrep NAME SYNOPSIS", the synopsis wrapped at 80 columns between
 * its words, never inside a [bracketed group]. */
static void
print_usage(const struct command *cmd)
{
	const char *prefix = _("Usage: kmrep ");
	printf("%s%s", prefix, cmd->name);
	/* Columns, not bytes: Chinese takes two each. */
	int col = (int)text_display_width(prefix) + (int)strlen(cmd->name);
	const char *p = cmd->synopsis;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		int depth = 0;
		while (*end && (depth || *end != ' ')) {
			depth += *end == '[' ? 1 : *end == ']' ? -1 : 0;
			end++;
		}
		if (end == p)
			break;
		int len = (int)(end - p);
		if (col + 1 + len > 80 && col > 20) {
			fputs("\n       ", stdout);
			col = 7;
		}
		printf(" %.*s", len, p);
		col += 1 + len;
		p = end;
	}
	putchar('\n');
}

int
cli_command_help(const struct command *cmd)
{
	print_usage(cmd);
	printf("%s\n", _(cmd->summary));
	if (cmd->help && *cmd->help)
		printf("\n%s", _(cmd->help));
	if (cmd->lists & CLI_LIST_PINS)
		for (size_t i = 0; i < registry_count(); i++)
			if (registry[i].pin_option)
				printf("    --%s ID%*s%s\n", registry[i].pin_option,
				       (int)(16 - strlen(registry[i].pin_option)), "", registry[i].title);
	if (cmd->lists & CLI_LIST_SOURCES) {
		char names[128];
		registry_names(names, sizeof(names));
		printf(_("\nSources (--source S): %s\n"), names);
	}
	if (cmd->formats) {
		char names[128];
		renderer_names((enum render_view)cmd->formats, ", ", ", ", names, sizeof(names));
		printf(_("\nFormats (--format F): %s\n"), names);
	}
	printf(_("\nGlobal options --db, --config, --lang, -q, -v work here too; see 'kmrep --help'.\n"));
	return EXIT_DONE;
}

/* mkdir -p for the database's directory. */
static int
make_parent_dirs(const char *path, char *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
	int rc = 0;
	if (mkdir(dir, 0700) < 0) {
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			rc = set_err(err, "cannot create directory %s", dir);
	}
	free(dir);
	return rc;
}

struct store *
cli_store(struct cli *cli)
{
	if (cli->store && !cli->store_readonly)
		return cli->store;
	store_close(cli->store);
	cli->store = NULL;
	cli->store_readonly = false;
	char err[ERRBUF_SIZE];
	if (!cli->db_path) {
		msg_error(_("no database path: set --db, KMREP_DB or HOME"));
		return NULL;
	}
	if (strcmp(cli->db_path, ":memory:") && make_parent_dirs(cli->db_path, err) < 0) {
		msg_error("%s", err);
		return NULL;
	}
	struct stat sb;
	if (strcmp(cli->db_path, ":memory:") && stat(cli->db_path, &sb) == 0 &&
	    S_ISREG(sb.st_mode) && sb.st_size == 0)
		msg_warn(_("%s: empty file, creating a new database"), cli->db_path);
	if (store_open(cli->db_path, &cli->store, err) < 0) {
		msg_error("%s", err);
		cli->store = NULL;
		return NULL;
	}
	return cli->store;
}

/* True when the database file and its directory (for the -wal and -shm
 * files) are writable by this process. */
static bool
db_writable(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	bool w = faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 &&
		 faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
	free(dir);
	return w;
}

struct store *
cli_store_read(struct cli *cli)
{
	if (cli->store)
		return cli->store;
	struct stat sb;
	/* A new, empty or old database is created or migrated by a writable
	 * open, and so is one kmrep may write: a read-only connection would
	 * leave the WAL's -wal and -shm files behind.  Only an existing,
	 * current database that cannot be written is opened read-only. */
	if (!cli->db_path || !strcmp(cli->db_path, ":memory:") || stat(cli->db_path, &sb) < 0 ||
	    !S_ISREG(sb.st_mode) || sb.st_size == 0 || db_writable(cli->db_path))
		return cli_store(cli);
	char err[ERRBUF_SIZE];
	int rc = store_open_readonly(cli->db_path, &cli->store, err);
	if (rc == 1)
		return cli_store(cli);
	if (rc < 0) {
		msg_error("%s", err);
		cli->store = NULL;
		return NULL;
	}
	cli->store_readonly = true;
	return cli->store;
}

/* The value of --lang wherever it stands (before "--"), so the language is
 * chosen before the first message; NULL when absent.  A --lang without a
 * value is reported as a usage error by main. */
static const char *
lang_option(int argc, char **argv, bool *missing)
{
	const char *lang = NULL;
	*missing = false;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--lang")) {
			if (i + 1 >= argc) {
				*missing = true;
				return lang;
			}
			lang = argv[++i];
		} else if (!strncmp(argv[i], "--lang=", 7)) {
			lang = argv[i] + 7;
		}
	}
	return lang;
}

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; commands[i]; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

/* Takes the global options out of argv wherever they stand (before or after
 * the command, never after "--"), leaving the command and its own options. */
static int
parse_globals(struct cli *cli, int *argc, char **argv, int *want_help, int *want_version,
	      int *verbosity)
{
	int out = 1, seen_command = 0, dashdash = 0;
	for (int i = 1; i < *argc; i++) {
		char *a = argv[i];
		const char *value = NULL;
		if (dashdash) {
			argv[out++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = 1;
			argv[out++] = a;
			continue;
		}
		if (!strcmp(a, "--lang")) {
			i++; /* taken by lang_option before */
			continue;
		}
		if (!strncmp(a, "--lang=", 7))
			continue;
		if (!strcmp(a, "--db") || !strcmp(a, "--config")) {
			if (i + 1 >= *argc)
				return cli_usage_error(_("option '%s' requires an argument"), a);
			value = argv[++i];
		} else if (!strncmp(a, "--db=", 5) || !strncmp(a, "--config=", 9)) {
			value = strchr(a, '=') + 1;
		}
		if (value) {
			if (a[2] == 'd') {
				free(cli->db_path);
				cli->db_path = xstrdup(value);
			} else {
				free(cli->config_path);
				cli->config_path = xstrdup(value);
				cli->config_explicit = true;
			}
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			*verbosity = -1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			*verbosity = *verbosity < 0 ? 1 : *verbosity + 1;
		} else if (!strcmp(a, "-vv")) {
			*verbosity = 2;
		} else if (!strcmp(a, "--version")) {
			*want_version = 1;
		} else if ((!strcmp(a, "-h") || !strcmp(a, "--help")) && !seen_command) {
			*want_help = 1;
		} else {
			if (a[0] != '-' || seen_command) {
				seen_command = seen_command || a[0] != '-';
				argv[out++] = a;
			} else {
				return cli_usage_error(_("unknown option '%s'"), a);
			}
		}
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli cli = {0};
	int want_help = 0, want_version = 0, verbosity = 0;
	char err[ERRBUF_SIZE];
	int status;

	bool lang_missing;
	const char *lang = lang_option(argc, argv, &lang_missing);
	if (i18n_init(lang, err) < 0) {
		i18n_init(NULL, err);
		return cli_usage_error(_("--lang takes zh or en, not '%s'"), lang);
	}
	if (lang_missing)
		return cli_usage_error(_("option '%s' requires an argument"), "--lang");
	/* The html page is for sharing with Chinese readers: Chinese unless
	 * --lang en says otherwise, whatever the locale (issue 15). */
	cli.lang_en = lang && !strcmp(lang, "en");
	config_defaults(&cli.cfg);
	registry_declare_config(&cli.cfg);
	cli.db_path = config_default_db_path();
	cli.config_path = config_default_config_path();
	const char *env_config = getenv("KMREP_CONFIG");
	cli.config_explicit = env_config && *env_config;

	if (parse_globals(&cli, &argc, argv, &want_help, &want_version, &verbosity)) {
		status = EXIT_USAGE;
		goto out;
	}
	msg_set_level(verbosity < 0 ? MSG_QUIET : (enum msg_level)verbosity);
	if (want_version) {
		print_version();
		status = EXIT_DONE;
		goto out;
	}
	if (want_help) {
		print_help(stdout);
		status = EXIT_DONE;
		goto out;
	}
	if (argc < 2) {
		status = cli_usage_error(_("no command given"));
		goto out;
	}
	const struct command *cmd = find_command(argv[1]);
	if (!cmd) {
		status = cli_usage_error(_("unknown command '%s'"), argv[1]);
		goto out;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			status = cli_command_help(cmd);
			goto out;
		}
	}
	if (cli.config_path &&
	    config_load(&cli.cfg, cli.config_path, !cli.config_explicit, err) < 0) {
		msg_error("%s", err);
		status = EXIT_USAGE;
		goto out;
	}
	if (time_now(&cli.now, err) < 0) {
		msg_error("%s", err);
		status = EXIT_USAGE;
		goto out;
	}
	interrupt_install();
	status = cmd->run(&cli, argc - 1, argv + 1);
out:
	store_close(cli.store);
	config_finish(&cli.cfg);
	free(cli.db_path);
	free(cli.config_path);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error(_("write error on standard output"));
		if (status == EXIT_DONE)
			status = EXIT_INTERNAL;
	}
	return status;
}
