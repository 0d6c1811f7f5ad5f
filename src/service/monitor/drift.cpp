// A scoring model's population shift as an early-warning alert (docs/credit-scoring.md,
// "Runs"): the same alerts, history, log entries and webhooks as a project's or a firm's.
#include <fmt/format.h>

#include "service/monitor/internal.hpp"
#include "service/monitor/monitor.hpp"

namespace corridor::service {

using namespace monitor_internal;  // NOLINT(google-build-using-namespace): this context's helpers

Result<std::optional<int64_t>> RecordModelStability(store::Connection& c, const ModelStability& m,
                                                    int64_t now_us) {
  const Subject subject = CORRIDOR_TRY(ModelSubject(c, m.model_id));
  const std::string fingerprint = fmt::format("model:{}/population_stability", m.model_id);
  // The alert follows the model's latest run: a run of an earlier day than one already made (a
  // month filled in afterwards) neither opens it nor resolves it.
  const auto later = CORRIDOR_TRY(
      internal::QueryInt(c, "SELECT count(*) FROM scoring_runs WHERE model_id = ? AND as_of > ?",
                         m.model_id, m.as_of.ToString()));
  if (later.value_or(0) > 0) return std::optional<int64_t>();
  // The run's day ends at its last second (UTC), as a week's health index does.
  const int64_t t_s = (int64_t{m.as_of.days_since_epoch()} + 1) * 86'400 - 1;
  if (m.stability == "shifted" && m.psi) {
    NewAlert a;
    a.fingerprint = fingerprint;
    a.subject = "model";
    a.model_id = m.model_id;
    a.indicator = "population_stability";
    a.severity = "warning";
    a.owner_tenant_id = m.bank_tenant_id;
    a.fired_t = t_s;
    a.value = *m.psi;
    a.note = fmt::format(
        "{}: the population stability index of the run as of {} is {:.3f}, above "
        "0.25: the borrowers it scores are no longer those it was trained on",
        subject.model_name, m.as_of.ToString(), *m.psi);
    a.log = {{"model_id", m.model_id}, {"fingerprint", fingerprint},  {"indicator", a.indicator},
             {"severity", a.severity}, {"as_of", m.as_of.ToString()}, {"psi", *m.psi},
             {"note", a.note}};
    return OpenAlert(c, a, subject.parties, now_us);
  }
  if (m.stability == "none") return std::optional<int64_t>();
  return CloseAlertByRule(c, fingerprint, t_s, Json{{"as_of", m.as_of.ToString()}},
                          fmt::format("the run as of {} has not shifted (PSI {:.3f})",
                                      m.as_of.ToString(), m.psi.value_or(0)),
                          subject.parties, now_us);
}

}  // namespace corridor::service
