#pragma once
// The answers' schemas, for the OpenAPI document: written with the same Prop and Schema as the
// request schemas, one per kind of record, and checked against real answers by the golden test.
#include "api/routes/table.hpp"

namespace corridor::api::routes::schemas {

// {"items": [item...], "next_cursor": string | null}: every paged list.
Json Page(Json item);

Json Stats();
Json Session();
Json Enterprise();      // as listed; GET /enterprises/{id} adds credit_profile
Json ProductRequest();  // POST /products
Json Product();
Json Project();
Json Need();
Json Offer();
Json LoanItem();  // as listed
Json Loan();      // one loan with its schedule, status and guarantee
Json Guarantee();
Json GuaranteeRequest();
Json LprFixing();
Json SubsidyProgram();
Json Asset();
Json Ecosystem();
Json RiskPool();
Json LabelDecision();
Json Reserve();
Json Indicator();
Json Analysis();
Json SupplyPool();
Json SupplyLine();
Json MonitorProject();
Json MonitorAlert();
Json TelemetryUpload();
Json HealthUpload();
Json EcosystemHealth();
Json MarginCall();
Json ProductionReading();

}  // namespace corridor::api::routes::schemas
