console.log("comet");
