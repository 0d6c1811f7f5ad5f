#include "api/home_page.hpp"

#include <fmt/format.h>

#include "core/money.hpp"

namespace corridor::api {

std::string GroupDigits(int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string RenderHomePage(const nlohmann::json& stats) {
  const auto card = [](std::string_view zh, std::string_view en, const std::string& value,
                       std::string_view id) {
    return fmt::format(
        "<div class=\"card\"><div class=\"label\">{}<br><span>{}</span></div>"
        "<div class=\"value\" id=\"{}\">{}</div></div>",
        zh, en, id, value);
  };
  const std::string cards =
      card("注册企业", "Registered enterprises", GroupDigits(stats["registered"].get<int64_t>()),
           "registered") +
      card("实名认证", "Verified enterprises", GroupDigits(stats["verified"].get<int64_t>()),
           "verified") +
      card("融资笔数", "Deals financed", GroupDigits(stats["deals"].get<int64_t>()), "deals") +
      card("融资金额", "Amount financed",
           Money::FromFen(stats["amount_financed_fen"].get<int64_t>()).FormatYuan(), "amount");
  return fmt::format(R"html(<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Corridor 信易贷 · Credit-matching platform</title>
<style>
  body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 0; background: #f4f6f5; color: #1d2b26; }}
  header {{ background: #1f5f4a; color: #fff; padding: 24px 32px; }}
  header h1 {{ margin: 0; font-size: 24px; }}
  header p {{ margin: 6px 0 0; opacity: .85; }}
  main {{ padding: 32px; max-width: 1100px; margin: auto; }}
  .grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 16px; }}
  .card {{ background: #fff; border-radius: 8px; padding: 20px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }}
  .label {{ font-size: 15px; color: #44574f; }}
  .label span {{ font-size: 13px; color: #70827a; }}
  .value {{ font-size: 30px; font-weight: 600; margin-top: 10px; font-variant-numeric: tabular-nums; }}
  footer {{ color: #70827a; font-size: 13px; margin-top: 28px; }}
  a {{ color: #1f5f4a; }}
</style>
</head>
<body>
<header>
  <h1>信易贷 · 融资信用服务平台</h1>
  <p>Credit-matching platform · Chifeng finance bureau and its banks and guarantee agencies</p>
</header>
<main>
  <div class="grid">{}</div>
  <footer>
    数据实时统计 · Live platform statistics ·
    <a href="/api/v1/stats">/api/v1/stats</a> ·
    <a href="/api/v1/openapi.json">API (OpenAPI 3.1)</a>
  </footer>
</main>
</body>
</html>
)html",
                     cards);
}

}  // namespace corridor::api
