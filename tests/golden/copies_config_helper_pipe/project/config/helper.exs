[region: "eu-west-1", feature_flags: [:beta_search]]
