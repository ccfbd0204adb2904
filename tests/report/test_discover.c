/* report/discover.c: the card-platform rule, with its false positives. */
#include <stdlib.h>

#include "config.h"
#include "err.h"
#include "harness.h"
#include "report/discover.h"
#include "xalloc.h"

static struct discover_rules *
rules(struct config *cfg)
{
	char err[ERRBUF_SIZE];
	struct discover_rules *r = discover_rules_create(cfg, err);
	CHECK(r != NULL);
	return r;
}

static void
test_names_say_card_platform(void)
{
	struct config cfg;
	config_defaults(&cfg);
	struct discover_rules *r = rules(&cfg);
	const char *because;
	static const char *const cards[] = {"闪电发卡网", "速发卡盟", "老牌点卡网", "ＶＩＰ卡盟"};
	for (size_t i = 0; i < sizeof(cards) / sizeof(cards[0]); i++) {
		CHECK(discover_is_card_platform(r, cards[i], NULL, 0, &because));
		CHECK_STR(because, "name");
	}
	CHECK(!discover_is_card_platform(r, "某某科技", NULL, 0, &because));
	discover_rules_destroy(r);
	config_finish(&cfg);
}

static void
test_texts_but_not_official_stores_or_banks(void)
{
	struct config cfg;
	config_defaults(&cfg);
	struct discover_rules *r = rules(&cfg);
	const char *because;
	const char *cards[] = {"买的卡密无效", "点卡充值未到账", "客服态度差"};
	/* Two of three complaints about cards: a shop the name does not give away. */
	CHECK(discover_is_card_platform(r, "某某小店", cards, 3, &because));
	CHECK_STR(because, "complaints");
	/* The same complaints against an official store, a bank, a carrier. */
	CHECK(!discover_is_card_platform(r, "腾讯游戏官方旗舰店", cards, 3, &because));
	CHECK(!discover_is_card_platform(r, "招商银行信用卡中心", cards, 3, &because));
	CHECK(!discover_is_card_platform(r, "中国移动在线营业厅", cards, 3, &because));
	/* One complaint is not enough to judge by text; half is. */
	CHECK(!discover_is_card_platform(r, "某某小店", cards, 1, &because));
	const char *half[] = {"卡密无效", "物流太慢"};
	CHECK(discover_is_card_platform(r, "某某小店", half, 2, &because));
	const char *few[] = {"卡密无效", "物流太慢", "物流太慢"};
	CHECK(!discover_is_card_platform(r, "某某小店", few, 3, &because));
	discover_rules_destroy(r);
	config_finish(&cfg);
}

static void
test_ignore_list_and_bad_pattern(void)
{
	struct config cfg;
	config_defaults(&cfg);
	free(cfg.discover.ignore);
	cfg.discover.ignore = xstrdup("速发卡盟, 闪电 发卡网");
	struct discover_rules *r = rules(&cfg);
	const char *because;
	CHECK(!discover_is_card_platform(r, "速发卡盟", NULL, 0, &because));
	CHECK(!discover_is_card_platform(r, "闪电发卡网", NULL, 0, &because)); /* folded */
	CHECK(discover_is_card_platform(r, "老牌点卡网", NULL, 0, &because));
	discover_rules_destroy(r);
	free(cfg.discover.name_pattern);
	cfg.discover.name_pattern = xstrdup("(卡盟");
	char err[ERRBUF_SIZE];
	CHECK(discover_rules_create(&cfg, err) == NULL);
	CHECK(strstr(err, "name_pattern") != NULL);
	config_finish(&cfg);
}

TEST_MAIN(
	{"names_say_card_platform", test_names_say_card_platform},
	{"texts_but_not_official_stores_or_banks", test_texts_but_not_official_stores_or_banks},
	{"ignore_list_and_bad_pattern", test_ignore_list_and_bad_pattern},
)
