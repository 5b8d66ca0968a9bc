{{ config(materialized='table') }}

-- One row per order, priced, with the status's readable label from the seed.
select
    o.order_id,
    o.customer_id,
    o.product_id,
    p.category,
    o.order_date,
    o.status,
    s.status_label,
    o.quantity,
    p.unit_price,
    cast(o.quantity * p.unit_price as decimal(12, 2)) as amount
from {{ ref('stg_orders') }} as o
join {{ ref('stg_products') }} as p on p.product_id = o.product_id
join {{ ref('order_statuses') }} as s on s.status = o.status
