console.log("atlas4");
