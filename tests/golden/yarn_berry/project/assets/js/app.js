console.log("quill");
