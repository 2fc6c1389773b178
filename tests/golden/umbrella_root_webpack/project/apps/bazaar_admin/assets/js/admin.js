import "../css/admin.scss";
