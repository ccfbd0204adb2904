#include "jutousu.h"

#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "xalloc.h"

const char *const jutousu_headers[] = {
	"Referer: https://ts.21cn.com/",
	"X-Requested-With: XMLHttpRequest",
	"Accept: application/json, text/javascript, */*; q=0.01",
	NULL,
};

/* base without its trailing slashes, as a length. */
static int
base_len(const char *base)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	return (int)n;
}

char *
jutousu_url_search(const char *base, const char *keyword, long page)
{
	char *kw = url_encode_component(keyword);
	char *url = xasprintf("%.*s/front/api/search/searchPostList.do?pageNo=%ld&title=%s&listType=1",
			      base_len(base), base, page, kw);
	free(kw);
	return url;
}

char *
jutousu_url_merchant_list(const char *base, const char *merchant_id, long page,
			  const char *cursor)
{
	char *mid = url_encode_component(merchant_id);
	char *cur = url_encode_component(cursor ? cursor : "");
	char *url = xasprintf("%.*s/json/merchantPostList/merchantId/%s/listType/1/pageNo/%ld/offset/%s",
			      base_len(base), base, mid, page, cur);
	free(mid);
	free(cur);
	return url;
}

char *
jutousu_url_post_content(const char *base, const char *post_key)
{
	char *key = url_encode_component(post_key);
	char *url = xasprintf("%.*s/front/api/post/getPostContent.do?postKey=%s", base_len(base),
			      base, key);
	free(key);
	return url;
}
