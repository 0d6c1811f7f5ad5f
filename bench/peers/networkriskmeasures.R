# Peer run of NetworkRiskMeasures (Cinelli & Silva, CRAN 0.1.4) beside Corridor's DebtRank.
# Sources the package's R files from a checkout (Debian has no package of it; its R sources run
# on r-base-core with r-cran-matrix, r-cran-expm, r-cran-dplyr and r-cran-ggplot2).
#
#   Rscript bench/peers/networkriskmeasures.R NRM_DIR three
#     the three-node example of tests/contagion_test (DebtRank.ThreeNodesAsNetworkRiskMeasures),
#     every variant, converged to 1e-15
#   Rscript bench/peers/networkriskmeasures.R NRM_DIR PREFIX
#     every single-node default on the network contagion_bench wrote to PREFIX.*.csv, linear
#     DebtRank ("debtrank" in the package) with its default tolerance; prints the time and the
#     largest difference from Corridor's DebtRank per scenario
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: networkriskmeasures.R NRM_DIR three|PREFIX")
suppressPackageStartupMessages(library(Matrix))
for (f in c("contagion.R", "contagion_engine.R", "risk_matrices.R")) {
  source(file.path(args[[1]], "R", f))
}

# The package's additional stress (summary.contagion): weighted stress capped at 1, less the
# initial stress.
additional <- function(sim, w) sum(w * pmin(1, sim$st)) - sum(w * pmin(1, sim$s0))

if (args[[2]] == "three") {
  # assets[i, j]: i's claim on j.
  assets <- matrix(c(0, 3, 0,
                     2, 0, 4,
                     0, 5, 0), nrow = 3, byrow = TRUE, dimnames = list(1:3, 1:3))
  capital <- c(4, 5, 10)
  w <- rowSums(assets) / sum(assets)
  shock <- list(c(1, 0, 0), c(0, 0.5, 0))
  for (m in list(list("linear", "debtrank", list()),
                 list("original", "debtrank", list(single.hit = TRUE)),
                 list("threshold", "threshold", list()))) {
    for (s in shock) {
      cont <- do.call(contagion, c(list(exposures = assets, buffer = capital, weights = w,
                                        shock = list(s), method = m[[2]], abs.tol = 1e-15,
                                        verbose = FALSE), m[[3]]))
      sim <- cont$simulations[[1]]
      cat(sprintf("%-9s shock %s: final stress %s, debtrank %.17g\n", m[[1]],
                  paste(s, collapse = " "), paste(sprintf("%.17g", pmin(1, sim$st)),
                                                  collapse = " "), additional(sim, w)))
    }
  }
  quit(status = 0)
}

prefix <- args[[2]]
edges <- read.csv(paste0(prefix, ".edges.csv"))
capital <- read.csv(paste0(prefix, ".capital.csv"))$capital
ours <- read.csv(paste0(prefix, ".corridor.csv"))$debtrank
n <- length(capital)
assets <- matrix(0, n, n, dimnames = list(1:n, 1:n))
assets[cbind(edges$creditor, edges$debtor)] <- edges$amount
w <- rowSums(assets)
t0 <- proc.time()[["elapsed"]]
cont <- contagion(exposures = assets, buffer = capital, weights = w, shock = "all",
                  method = "debtrank", verbose = FALSE)
secs <- proc.time()[["elapsed"]] - t0
theirs <- vapply(cont$simulations, additional, numeric(1), w = w / sum(w))
cat(sprintf("NetworkRiskMeasures: all %d single-node scenarios in %.2f s; largest |difference| from Corridor %.2e\n",
            n, secs, max(abs(theirs - ours))))
