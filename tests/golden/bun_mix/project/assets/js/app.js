import "phoenix_html";
