import "../css/app.scss";
